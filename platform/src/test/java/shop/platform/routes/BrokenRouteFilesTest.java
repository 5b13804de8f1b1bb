package shop.platform.routes;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The validator refuses each sample in src/test/resources/broken-routes with the message its
 * {@code # expect: <line>: <text>} lines announce, at that line and no other problem; and the command
 * prints {@code file:line: message} and exits non-zero.
 */
class BrokenRouteFilesTest {

    private static final Path SAMPLES = RepositoryRouteFiles.root().resolve("platform/src/test/resources/broken-routes");
    private static final Pattern EXPECT = Pattern.compile("^# expect: (\\d+): (.+)$", Pattern.MULTILINE);

    private final RouteChecks checks = new RouteChecks(OfflineValidationEnvironment.forService("order-service").build());

    @TestFactory
    Stream<DynamicTest> everyBrokenSampleFailsWithItsMessageAtItsLine() {
        List<Path> samples = RepositoryRouteFiles.yamlFiles(SAMPLES);
        assertThat(samples).hasSizeGreaterThanOrEqualTo(10);
        return samples.stream().map(sample -> DynamicTest.dynamicTest(sample.getFileName().toString(), () -> {
            RouteFile file = RepositoryRouteFiles.read(sample);
            List<String> expected = new ArrayList<>();
            Matcher m = EXPECT.matcher(file.text());
            while (m.find()) {
                expected.add(m.group(1) + ": " + m.group(2).trim());
            }
            assertThat(expected).as("expectations in " + sample).isNotEmpty();
            RouteChecks.Result result = checks.check(file, RouteChecks.Mode.ROUTES_DIR);
            assertThat(result.problems()).as(sample + ": " + result.problems()).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                RouteProblem p = result.problems().get(i);
                String line = expected.get(i).substring(0, expected.get(i).indexOf(':'));
                String text = expected.get(i).substring(expected.get(i).indexOf(':') + 2);
                assertThat(p.file()).isEqualTo(sample.toString());
                assertThat(p.line()).as(p.toString()).isEqualTo(Integer.parseInt(line));
                assertThat(p.message()).as(p.toString()).contains(text);
            }
        }));
    }

    @Test
    void theCommandPrintsFileLineMessageAndExitsNonZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = RouteValidator.run(new String[] {"order-service", SAMPLES.resolve("unknown-component.yaml").toString(),
                RepositoryRouteFiles.root().resolve("routes/integrations/customer-notifications.yaml").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed).isEqualTo(1);
        assertThat(printed).contains(SAMPLES.resolve("unknown-component.yaml") + ":9: ")
                .contains("No endpoint could be found for: nosuchcomponent")
                .contains("OK " + RepositoryRouteFiles.root().resolve("routes/integrations/customer-notifications.yaml"))
                .contains("1 of 2 route file(s) have errors");
    }

    @Test
    void theCommandRefusesADeniedComponentWithFileAndLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = RouteValidator.run(new String[] {"shipping-service", SAMPLES.resolve("denied-exec.yaml").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed).isEqualTo(1);
        assertThat(printed).contains(SAMPLES.resolve("denied-exec.yaml") + ":8: component 'exec' is not allowed in ROUTES_DIR");
    }

    @Test
    void theCommandExitsZeroWhenEveryFileIsGood() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = RouteValidator.run(new String[] {"order-service", RepositoryRouteFiles.root().resolve("routes/integrations").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).as(out.toString(StandardCharsets.UTF_8)).isZero();
    }
}
