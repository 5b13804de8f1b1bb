package shop.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The alerting rules (config/prometheus/rules) pass Prometheus' own checks: {@code promtool check rules},
 * and {@code promtool test rules} - the unit tests of every alert with synthetic series
 * (config/prometheus/tests). Every alert has such a test and a runbook section that exists. Needs Debian's
 * {@code prometheus} package ({@code .ci/run} installs it); skipped, saying so, without promtool.
 */
class PrometheusRulesIT {

    static final Path ROOT = Path.of(System.getProperty("shop.root", "..")).toAbsolutePath().normalize();
    static final Path PROMETHEUS = ROOT.resolve("config/prometheus");

    @BeforeAll
    static void promtoolIsInstalled() {
        assumeTrue(Commands.run("promtool", "--version").ok(),
                "promtool not found: install Debian's prometheus package (apt-get install prometheus; .ci/run does)");
    }

    @Test
    void everyRuleFilePassesPromtoolCheckRules() {
        List<String> command = new ArrayList<>(List.of("promtool", "check", "rules"));
        ruleFiles().forEach(f -> command.add(f.toString()));
        Commands.Result result = Commands.run(command.toArray(String[]::new));
        assertThat(result.exit()).as(result.output()).isZero();
    }

    @Test
    void everyAlertPassesItsUnitTestsInPromtoolTestRules() {
        List<String> command = new ArrayList<>(List.of("promtool", "test", "rules"));
        List<Path> tests = files(PROMETHEUS.resolve("tests"));
        assertThat(tests).isNotEmpty();
        tests.forEach(f -> command.add(f.toString()));
        Commands.Result result = Commands.run(command.toArray(String[]::new));
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void everyAlertHasUnitTestsThatMakeItFireAndARunbookSectionThatExists() throws IOException {
        StringBuilder tests = new StringBuilder();
        for (Path f : files(PROMETHEUS.resolve("tests"))) {
            tests.append(Files.readString(f));
        }
        List<Map<String, Object>> alerts = alerts();
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(7);
        for (Map<String, Object> alert : alerts) {
            String name = (String) alert.get("alert");
            assertThat(tests.toString()).as("unit test of " + name + " that expects it to fire")
                    .containsPattern("alertname: " + name + "\\s*\\n\\s*exp_alerts:\\s*\\n\\s*- exp_labels");
            @SuppressWarnings("unchecked")
            Map<String, Object> annotations = (Map<String, Object>) alert.get("annotations");
            String runbook = (String) annotations.get("runbook_url");
            assertThat(runbook).as(name + " runbook_url").isNotBlank();
            String[] parts = runbook.split("#", 2);
            Path doc = ROOT.resolve(parts[0]);
            assertThat(doc).as(name + " runbook").isRegularFile();
            if (parts.length == 2) {
                List<String> anchors = Files.readAllLines(doc).stream().filter(l -> l.startsWith("#"))
                        .map(l -> l.replaceFirst("^#+\\s*", "").trim().toLowerCase().replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'))
                        .toList();
                assertThat(anchors).as(name + ": heading for #" + parts[1] + " in " + parts[0]).contains(parts[1]);
            }
        }
    }

    /** Every alerting rule of every rule file, as parsed YAML. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> alerts() {
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Path f : ruleFiles()) {
            try {
                Map<String, Object> file = new Yaml().load(Files.readString(f));
                for (Object group : (List<Object>) file.get("groups")) {
                    for (Object rule : (List<Object>) ((Map<String, Object>) group).get("rules")) {
                        if (((Map<String, Object>) rule).containsKey("alert")) {
                            alerts.add((Map<String, Object>) rule);
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return alerts;
    }

    static List<Path> ruleFiles() {
        List<Path> files = files(PROMETHEUS.resolve("rules"));
        assertThat(files).as("rule files in config/prometheus/rules").isNotEmpty();
        return files;
    }

    static List<Path> files(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
