package shop.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import org.HdrHistogram.HistogramIterationValue;

/**
 * The benchmark drawn (docs/performance.svg, linked from docs/performance.md): confirmed orders per second and
 * the latency percentiles of each second over the whole run, phase after phase, and the latency distribution
 * of each phase - HdrHistogram's percentile output, on its usual axis where 90 %, 99 %, 99.9 % ... are equally
 * spaced. Plain SVG, no library: it renders in a browser and on GitHub.
 */
final class BenchChart {

    static final int WIDTH = 960;
    static final int LEFT = 70;
    static final int RIGHT = 45;
    static final int PANEL_HEIGHT = 200;
    static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"};
    /** The distribution's x axis ends at 99.99 %: log10(1 / (1 - p)) = 4. */
    static final double MAX_NINES = 4;

    private final StringBuilder svg = new StringBuilder();

    /** The chart of these phases, in the order they ran. */
    static String of(String title, List<LoadGenerator.Result> phases) {
        return new BenchChart().draw(title, phases);
    }

    private String draw(String title, List<LoadGenerator.Result> phases) {
        int height = 3 * (PANEL_HEIGHT + 70) + 50;
        svg.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH, height));
        svg.append(f("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(f("<text x=\"%d\" y=\"24\" font-size=\"16\" font-weight=\"bold\">%s</text>%n", LEFT, escape(title)));

        // the phases one after the other on one time axis
        List<Double> offsets = new ArrayList<>();
        double t = 0;
        for (LoadGenerator.Result phase : phases) {
            offsets.add(t);
            t += phase.elapsed().toMillis() / 1000.0;
        }
        double totalSeconds = Math.max(1, t);

        int top = 50;
        overTime(top, "confirmed orders per second", "orders/s", phases, offsets, totalSeconds,
                List.of(new Series("orders/s", s -> s.confirmed())));
        top += PANEL_HEIGHT + 70;
        overTime(top, "POST /orders latency per second (ms)", "ms", phases, offsets, totalSeconds,
                List.of(new Series("p50", LoadGenerator.Second::p50Ms), new Series("p90", LoadGenerator.Second::p90Ms),
                        new Series("p99", LoadGenerator.Second::p99Ms)));
        top += PANEL_HEIGHT + 70;
        distribution(top, phases);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private record Series(String name, ToDoubleFunction<LoadGenerator.Second> value) {
    }

    private void overTime(int top, String title, String unit, List<LoadGenerator.Result> phases, List<Double> offsets,
                          double totalSeconds, List<Series> series) {
        double max = 0;
        for (LoadGenerator.Result phase : phases) {
            for (LoadGenerator.Second s : phase.timeline()) {
                for (Series one : series) {
                    max = Math.max(max, one.value().applyAsDouble(s));
                }
            }
        }
        max = niceCeiling(max);
        frame(top, title, unit, max);
        double plotWidth = WIDTH - LEFT - RIGHT;
        // x ticks every nice number of seconds
        double step = niceCeiling(totalSeconds / 8);
        for (double x = 0; x <= totalSeconds + 1e-9; x += step) {
            double px = LEFT + x / totalSeconds * plotWidth;
            svg.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%.0f s</text>%n", px, top + PANEL_HEIGHT + 16, x));
        }
        for (int p = 0; p < phases.size(); p++) {
            LoadGenerator.Result phase = phases.get(p);
            double start = LEFT + offsets.get(p) / totalSeconds * plotWidth;
            if (p > 0) {
                svg.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>%n",
                        start, top, start, top + PANEL_HEIGHT));
            }
            svg.append(f("<text x=\"%.1f\" y=\"%d\" fill=\"#555\">%s, %s</text>%n", start + 4, top + 14,
                    escape(phase.phase()), escape(phase.load())));
            for (int i = 0; i < series.size(); i++) {
                StringBuilder points = new StringBuilder();
                for (LoadGenerator.Second s : phase.timeline()) {
                    double px = LEFT + (offsets.get(p) + s.atSeconds()) / totalSeconds * plotWidth;
                    double py = top + PANEL_HEIGHT - series.get(i).value().applyAsDouble(s) / max * PANEL_HEIGHT;
                    points.append(f("%.1f,%.1f ", px, py));
                }
                svg.append(f("<polyline class=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n",
                        series.get(i).name(), COLOURS[i % COLOURS.length], points.toString().trim()));
            }
        }
        legend(top, series.stream().map(Series::name).toList());
    }

    /** Latency at each percentile of each phase, from the phase's whole histogram. */
    private void distribution(int top, List<LoadGenerator.Result> phases) {
        double max = 0;
        for (LoadGenerator.Result phase : phases) {
            max = Math.max(max, phase.latency().getValueAtPercentile(99.99) / 1000.0);
        }
        max = niceCeiling(max);
        frame(top, "latency distribution per phase (HdrHistogram percentiles, ms)", "ms", max);
        double plotWidth = WIDTH - LEFT - RIGHT;
        String[] labels = {"0 %", "90 %", "99 %", "99.9 %", "99.99 %"};
        for (int n = 0; n <= MAX_NINES; n++) {
            double px = LEFT + n / MAX_NINES * plotWidth;
            svg.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>%n", px, top + PANEL_HEIGHT + 16, labels[n]));
            svg.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n", px, top, px, top + PANEL_HEIGHT));
        }
        List<String> names = new ArrayList<>();
        for (int p = 0; p < phases.size(); p++) {
            LoadGenerator.Result phase = phases.get(p);
            StringBuilder points = new StringBuilder();
            for (HistogramIterationValue v : phase.latency().percentiles(5)) {
                double percentile = v.getPercentileLevelIteratedTo();
                double nines = percentile >= 100 ? MAX_NINES : Math.min(MAX_NINES, Math.log10(100 / (100 - percentile)));
                double py = top + PANEL_HEIGHT - Math.min(max, v.getValueIteratedTo() / 1000.0) / max * PANEL_HEIGHT;
                points.append(f("%.1f,%.1f ", LEFT + nines / MAX_NINES * plotWidth, py));
                if (nines >= MAX_NINES) {
                    break;
                }
            }
            String name = phase.phase() + " (" + phase.shortLoad() + ")";
            names.add(name);
            svg.append(f("<polyline class=\"distribution\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n",
                    COLOURS[p % COLOURS.length], points.toString().trim()));
        }
        legend(top, names);
    }

    private void frame(int top, String title, String unit, double max) {
        svg.append(f("<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", LEFT, top - 8, escape(title)));
        svg.append(f("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n",
                LEFT, top, WIDTH - LEFT - RIGHT, PANEL_HEIGHT));
        for (int i = 0; i <= 4; i++) {
            double value = max * i / 4;
            double py = top + PANEL_HEIGHT - PANEL_HEIGHT * i / 4.0;
            svg.append(f("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#555\">%s</text>%n", LEFT - 6, py + 4, number(value)));
            if (i > 0 && i < 4) {
                svg.append(f("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n", LEFT, py, WIDTH - RIGHT, py));
            }
        }
        svg.append(f("<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\" fill=\"#555\">%s</text>%n",
                top + PANEL_HEIGHT / 2, top + PANEL_HEIGHT / 2, escape(unit)));
    }

    private void legend(int top, List<String> names) {
        int x = WIDTH - RIGHT - 10;
        for (int i = names.size() - 1; i >= 0; i--) {
            String name = names.get(i);
            x -= 30 + 7 * name.length();
            svg.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>%n",
                    x, top - 12, x + 18, top - 12, COLOURS[i % COLOURS.length]));
            svg.append(f("<text x=\"%d\" y=\"%d\">%s</text>%n", x + 22, top - 8, escape(name)));
        }
    }

    /** A round number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) at least {@code value}, and at least 1. */
    static double niceCeiling(double value) {
        if (!(value > 1)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double m : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (m * power >= value) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static String number(double value) {
        return value == Math.rint(value) ? f("%.0f", value) : f("%.1f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
