package shop.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark's verdict and what it writes to docs/performance.md, from made-up figures (no system needed). */
class PerformanceReportTest {

    @TempDir
    Path dir;

    @Test
    void targetsAreJudgedAndTheLatestRunIsReplacedWhileTheHistoryGrows() throws Exception {
        Path doc = dir.resolve("performance.md");
        Files.writeString(doc, Files.readString(root().resolve("docs/performance.md")));
        long historyRows = rows(doc);

        PerformanceReport slow = report(400, 150, 40, 0, 300, List.of());
        assertThat(slow.missedTargets()).hasSize(2).allSatisfy(m -> assertThat(m).containsAnyOf("orders/s", "ratio"));
        slow.write(doc);
        PerformanceReport fine = report(400, 210, 40, 0, 300, List.of());
        assertThat(fine.missedTargets()).isEmpty();
        fine.write(doc);

        String text = Files.readString(doc);
        assertThat(text).containsOnlyOnce("<!-- bench:latest:start -->").containsOnlyOnce("<!-- bench:latest:end -->");
        assertThat(text.substring(text.indexOf("<!-- bench:latest:start -->"), text.indexOf("<!-- bench:latest:end -->")))
                .contains("| ratio to the floor | 0.53 |").doesNotContain("| ratio to the floor | 0.38 |");
        double budget = PerformanceReport.CORES * 1000.0 / (0.5 * 400);
        assertThat(text).as("the CPU budget: cores / (0.5 x floor), less PostgreSQL's and RabbitMQ's floor")
                .contains(String.format(Locale.ROOT, "| %.1f = PostgreSQL 5.0 (this run) + RabbitMQ 2.0 (its floor) + %.1f left"
                        + " for the services and the load generator, which used 12.0 |", budget, budget - 7.0))
                .contains("| 1000 orders/s, RabbitMQ 2.0 ms CPU per order |");
        assertThat(rows(doc)).isEqualTo(historyRows + 2);
        assertThat(text).contains("| 0.38 |", "| 2 missed |", "| 0.53 |", "| all met |");
    }

    @Test
    void theRunIsDrawnAsAnSvgBesideTheReportAndLinkedFromIt() throws Exception {
        Path doc = dir.resolve("performance.md");
        Files.writeString(doc, Files.readString(root().resolve("docs/performance.md")));
        LoadGenerator.Result warmUp = result("warm-up", 32, 3000, 0, 400);
        LoadGenerator.Result throughput = result("throughput", 32, 12_000, 0, 300);
        LoadGenerator.Result latency = openLoop(100, 6000, 0, 30, 30);
        report(400, 200, 40, 0, 300, List.of()).write(doc, List.of(warmUp, throughput, latency));

        assertThat(Files.readString(doc)).contains("](performance.svg)");
        Path svg = dir.resolve("performance.svg");
        org.w3c.dom.Document chart = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertThat(chart.getDocumentElement().getNodeName()).isEqualTo("svg");
        org.w3c.dom.NodeList lines = chart.getElementsByTagName("polyline");
        Map<String, Integer> byClass = new LinkedHashMap<>();
        for (int i = 0; i < lines.getLength(); i++) {
            org.w3c.dom.Element line = (org.w3c.dom.Element) lines.item(i);
            byClass.merge(line.getAttribute("class"), 1, Integer::sum);
            assertThat(line.getAttribute("points").split(" ")).as("points of " + line.getAttribute("class")).hasSizeGreaterThan(1);
        }
        // per phase: throughput and p50/p90/p99 over time, and its latency distribution
        assertThat(byClass).containsEntry("orders/s", 3).containsEntry("p50", 3).containsEntry("p90", 3).containsEntry("p99", 3)
                .containsEntry("distribution", 3);
        List<String> texts = new java.util.ArrayList<>();
        org.w3c.dom.NodeList textNodes = chart.getElementsByTagName("text");
        for (int i = 0; i < textNodes.getLength(); i++) {
            texts.add(textNodes.item(i).getTextContent());
        }
        // axes: 200 orders/s at most; latencies up to the warm-up's p99 of 400 ms
        assertThat(texts).contains("confirmed orders per second", "99.9 %", "99.99 %", "throughput, 32 connections",
                "latency, open loop, 100 orders/s", "200", "400", "p99", "throughput (32)", "latency (100/s)");
        assertThat(texts.stream().filter(t -> t.startsWith("latency distribution"))).hasSize(1);
    }

    @Test
    void slowAnswersErrorsBrokenInvariantsMemoryAndStartupEachMissATarget() {
        assertThat(report(400, 210, 60, 0, 300, List.of()).missedTargets()).singleElement().asString().startsWith("open loop p99:");
        assertThat(report(400, 210, 60, 0, 300, List.of()).missedTargets()).singleElement().asString().contains("60.0 ms");
        assertThat(report(400, 210, 40, 0, 300, List.of()).missedTargets()).isEmpty();
        assertThat(report(400, 210, 40, 0, 300, List.of(), 150).missedTargets()).singleElement().asString()
                .startsWith("open loop p99.9:").contains("150.0 ms");
        assertThat(report(400, 210, 40, 3, 300, List.of()).missedTargets()).singleElement().asString().contains("errors");
        assertThat(report(400, 210, 40, 0, 300, List.of("2 orders left PENDING")).missedTargets())
                .singleElement().asString().contains("PENDING");
        assertThat(report(400, 210, 40, 0, 600, List.of()).missedTargets()).singleElement().asString().contains("RSS");
    }

    @Test
    void theOpenLoopRowsSayTheRateAskedSentAndConfirmedAndTheTail() throws Exception {
        Path doc = dir.resolve("performance.md");
        report(400, 210, 40, 0, 300, List.of(), 90).write(doc);
        String text = Files.readString(doc);
        // 1000 answers, the slowest 1 % at 90 ms; 60 s at 100/s asked, 5940 sent, 5900 confirmed
        assertThat(text).contains("| POST /orders open loop, 100 orders/s (0.5 x throughput): p50 / p90 / p99 / p99.9 / max"
                        + " | 40.0 / 40.0 / 40.0 / 90.0 / 90.0 ms |  | yes |",
                "| open loop p99 | 40.0 ms | p99 <= 50 ms | yes |", "| open loop p99.9 | 90.0 ms | p99.9 <= 100 ms | yes |",
                "| open loop orders/s: asked / sent / confirmed | 100.0 / 99.0 / 98.3, the sender at most 1.5 ms behind its schedule |",
                "60 s open loop, 100 orders/s (latency from each request's intended send time)");
    }

    @Test
    void theWorkPerOrderIsShownPerServiceWithItsTotalAndItsSource() throws Exception {
        Path doc = dir.resolve("performance.md");
        report(400, 210, 40, 0, 300, List.of()).write(doc);
        assertThat(Files.readString(doc))
                .contains("| database transactions per confirmed order at 32 connections (pg_stat_database) | order 13.0, payment 5.5, total 18.5 |")
                .contains("| SQL statements per confirmed order (pg_stat_statements) | not measured: pg_stat_statements is not in shared_preload_libraries |")
                .contains("| rows fetched / inserted+updated+deleted per confirmed order (pg_stat_database) | order 20.0 / 9.0, payment 6.0 / 4.5, total 26.0 / 13.5 |")
                .contains("| messages published / consumed per confirmed order (each service's RabbitMQ client) | order 3.0 / 3.0, payment 1.0 / 1.0, total 4.0 / 4.0 |");

        PerformanceReport counted = report(400, 210, 40, 0, 300, List.of(), 40, new WorkAccount.PerOrder(work(), true));
        assertThat(counted.perService(WorkAccount.STATEMENTS)).isEqualTo("order 30.0, payment 9.0, total 39.0");
    }

    private PerformanceReport report(double floor, long confirmedPerSecond, long p99Ms, long errors, double rssMib, List<String> violations) {
        return report(floor, confirmedPerSecond, p99Ms, errors, rssMib, violations, p99Ms);
    }

    private PerformanceReport report(double floor, long confirmedPerSecond, long p99Ms, long errors, double rssMib, List<String> violations,
                                     long tailMs) {
        return report(floor, confirmedPerSecond, p99Ms, errors, rssMib, violations, tailMs, new WorkAccount.PerOrder(work(), false));
    }

    private PerformanceReport report(double floor, long confirmedPerSecond, long p99Ms, long errors, double rssMib, List<String> violations,
                                     long tailMs, WorkAccount.PerOrder work) {
        BenchSettings settings = new BenchSettings(root(), "test", List.of("-Xmx256m"), 100, 16, Duration.ofSeconds(30), Duration.ofSeconds(15), 32,
                Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(60), true, Path.of("/jdk"), false);
        Map<String, Double> rss = new LinkedHashMap<>(Map.of("order-service", rssMib));
        Map<String, Duration> startup = new LinkedHashMap<>(Map.of("order-service", Duration.ofSeconds(4)));
        return new PerformanceReport(settings, "2 cores (test)", new Floor.Result(floor, 0, "pgbench ..."),
                new MessagingFloor.Result(1000, 2.0, 16), 0,
                result("throughput", 32, confirmedPerSecond * 60, errors, 300), openLoop(100, 5900, 0, p99Ms, tailMs),
                rss, Map.of("postgresql", 5.0, "rabbitmq", 3.0, "total", 20.0), work, startup, violations,
                Map.of("orders CONFIRMED", confirmedPerSecond * 60));
    }

    private static Map<String, Map<String, Double>> work() {
        Map<String, Map<String, Double>> work = new LinkedHashMap<>();
        work.put("order", Map.of(WorkAccount.TRANSACTIONS, 13.0, WorkAccount.STATEMENTS, 30.0, WorkAccount.ROWS_FETCHED, 20.0,
                WorkAccount.ROWS_WRITTEN, 9.0, WorkAccount.PUBLISHED, 3.0, WorkAccount.CONSUMED, 3.0));
        work.put("payment", Map.of(WorkAccount.TRANSACTIONS, 5.5, WorkAccount.STATEMENTS, 9.0, WorkAccount.ROWS_FETCHED, 6.0,
                WorkAccount.ROWS_WRITTEN, 4.5, WorkAccount.PUBLISHED, 1.0, WorkAccount.CONSUMED, 1.0));
        return work;
    }

    private static LoadGenerator.Result result(String phase, int connections, long confirmed, long errors, long latencyMs) {
        Histogram latency = new Histogram(60_000_000L, 3);
        latency.recordValueWithCount(latencyMs * 1000, 100);
        return new LoadGenerator.Result(phase, connections, null, Duration.ofSeconds(60), confirmed, errors,
                errors == 0 ? Map.of() : Map.of("HTTP 503", errors), latency, timeline(confirmed, latencyMs));
    }

    /** 60 s asked at {@code perSecond}, 99 % of 1000 answers at {@code latencyMs}, the slowest 1 % at {@code tailMs}. */
    private static LoadGenerator.Result openLoop(double perSecond, long confirmed, long errors, long latencyMs, long tailMs) {
        Histogram latency = new Histogram(60_000_000L, 3);
        latency.recordValueWithCount(latencyMs * 1000, 990);
        latency.recordValueWithCount(tailMs * 1000, 10);
        return new LoadGenerator.Result("latency", 0, new LoadGenerator.OpenLoop(perSecond, 5940, 1.5), Duration.ofSeconds(60), confirmed,
                errors, errors == 0 ? Map.of() : Map.of("HTTP 503", errors), latency, timeline(confirmed, latencyMs));
    }

    private static List<LoadGenerator.Second> timeline(long confirmed, long latencyMs) {
        List<LoadGenerator.Second> timeline = new java.util.ArrayList<>();
        for (int s = 1; s <= 60; s++) {
            timeline.add(new LoadGenerator.Second(s, confirmed / 60, latencyMs * 0.5, latencyMs * 0.8, latencyMs, latencyMs * 1.2));
        }
        return timeline;
    }

    private static long rows(Path doc) throws Exception {
        return Files.readAllLines(doc).stream().filter(l -> l.matches("\\| \\d{4}-\\d{2}-\\d{2} .*")).count();
    }

    private static Path root() {
        return Path.of(System.getProperty("shop.root", "..")).toAbsolutePath().normalize();
    }
}
