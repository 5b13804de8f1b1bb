package shop.platform.routes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ROUTES_DIR on a plain CamelContext: files added, changed, broken (syntax, unknown bean, unknown method,
 * clashing id) and removed, with the routes that ran before still running whenever a file is refused.
 */
class RoutesDirectoryTest {

    /** A bean the route files call: counts calls per label. */
    public static class Ticks {
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        public void hit(String label) {
            counts.computeIfAbsent(label, k -> new AtomicInteger()).incrementAndGet();
        }

        int count(String label) {
            AtomicInteger c = counts.get(label);
            return c == null ? 0 : c.get();
        }
    }

    @TempDir
    Path dir;

    private DefaultCamelContext camel;
    private RoutesDirectory routesDir;
    private SimpleMeterRegistry meters;
    private final Ticks ticks = new Ticks();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("ticks", ticks);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:jar-route").routeId("jar-route").log("a route of the jar");
            }
        });
        camel.start();
        logs.list = new CopyOnWriteArrayList<>(); // the watcher thread appends while a test reads
        logs.start();
        ((Logger) LoggerFactory.getLogger(RoutesDirectory.class)).addAppender(logs);
        meters = new SimpleMeterRegistry();
        routesDir = new RoutesDirectory(camel, dir, 100, meters);
        routesDir.afterApplicationStart(camel);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(RoutesDirectory.class)).detachAppender(logs);
        routesDir.stop();
        camel.stop();
    }

    @Test
    void addChangeBreakAndRemove() throws Exception {
        // added: loaded and running
        deploy("ticker.yaml", ticker("ticker", "v1"));
        awaitTicking("v1");
        assertThat(routesDir.routesByFile()).containsEntry("ticker.yaml", List.of("ticker"));

        // changed: the new version replaces the old one
        deploy("ticker.yaml", ticker("ticker", "v2"));
        awaitTicking("v2");
        int v1 = ticks.count("v1");
        awaitTicking("v2");
        assertThat(ticks.count("v1")).as("the old version stopped").isEqualTo(v1);

        // broken syntax: refused, the previous version keeps running
        deploy("ticker.yaml", "- route:\n    id: ticker\n    from:\n      uri: timer:ticker\n     steps: [\n");
        awaitRefused(1, "ticker.yaml", "YAML syntax");
        awaitTicking("v2");
        assertRunning("ticker");

        // broken semantics: a bean the service does not have - refused before the old route is touched
        deploy("ticker.yaml", ticker("ticker", "v3").replace("ref: ticks", "ref: noSuchBean"));
        awaitRefused(2, "ticker.yaml", "noSuchBean");
        awaitTicking("v2");
        assertThat(ticks.count("v3")).isZero();

        // a method the bean does not have: refused as well (real beans are checked, not placeholders)
        deploy("ticker.yaml", ticker("ticker", "v3").replace("method: \"hit('v3')\"", "method: \"hot('v3')\""));
        awaitRefused(3, "ticker.yaml", "hot");
        awaitTicking("v2");

        // fixed again: loaded
        deploy("ticker.yaml", ticker("ticker", "v4"));
        awaitTicking("v4");

        // removed: its routes are gone
        Files.delete(dir.resolve("ticker.yaml"));
        await().atMost(Duration.ofSeconds(10)).until(() -> camel.getRoute("ticker") == null);
        assertThat(routesDir.routesByFile()).isEmpty();
        assertRunning("jar-route");
        assertThat(meters.counter("shop.routes.reload.failures").count()).isEqualTo(3);
    }

    @Test
    void aFileCannotTakeARouteIdOfAnotherFileOrOfTheJar() throws Exception {
        deploy("first.yaml", ticker("shared-id", "first"));
        awaitTicking("first");

        deploy("second.yaml", ticker("shared-id", "second"));
        awaitRefused(1, "second.yaml", "already defined by");
        deploy("third.yaml", ticker("jar-route", "third"));
        awaitRefused(2, "third.yaml", "is a route of the service itself");

        awaitTicking("first");
        assertThat(ticks.count("second")).isZero();
        assertThat(ticks.count("third")).isZero();
        assertRunning("jar-route");
    }

    @Test
    void hiddenAndTemporaryFilesAreIgnoredAndOnlyRoutesWithIdsAreAllowed() throws Exception {
        Files.writeString(dir.resolve(".ticker.yaml"), ticker("hidden", "hidden"));
        Files.writeString(dir.resolve("ticker.yaml.tmp"), ticker("temp", "temp"));
        deploy("no-id.yaml", ticker("x", "noid").replace("    id: x\n", ""));
        awaitRefused(1, "no-id.yaml", "needs an id");
        deploy("visible.yaml", ticker("visible", "visible"));
        awaitTicking("visible");
        assertThat(camel.getRoute("hidden")).isNull();
        assertThat(camel.getRoute("temp")).isNull();
    }

    /**
     * Every sample of the denylist (broken-routes/denied-*.yaml) is refused by the live check with its
     * {@code file:line: reason}, nothing of it runs, and what ran before keeps running.
     */
    @Test
    void deniedComponentsAndLanguagesAreRefusedWithFileAndLine() throws Exception {
        deploy("ticker.yaml", ticker("ticker", "kept"));
        awaitTicking("kept");
        List<Path> samples = RepositoryRouteFiles.yamlFiles(RepositoryRouteFiles.root().resolve("platform/src/test/resources/broken-routes"))
                .stream().filter(p -> p.getFileName().toString().startsWith("denied-")).toList();
        assertThat(samples).hasSizeGreaterThanOrEqualTo(15);
        Pattern expect = Pattern.compile("^# expect: (\\d+): (.+)$", Pattern.MULTILINE);
        int failures = 0;
        for (Path sample : samples) {
            String content = Files.readString(sample);
            Matcher m = expect.matcher(content);
            assertThat(m.find()).as(sample.toString()).isTrue();
            String name = sample.getFileName().toString();
            deploy(name, content);
            awaitRefused(++failures, name, dir.resolve(name) + ":" + m.group(1) + ": " + m.group(2).trim());
            assertThat(routesDir.routesByFile()).doesNotContainKey(name);
        }
        String routes = camel.getRoutes().stream().map(Route::getRouteId).sorted().toList().toString();
        assertThat(routes).doesNotContain("denied-");
        awaitTicking("kept");
        assertRunning("jar-route");
    }

    @Test
    void filesPresentAtStartAreLoadedBeforeStartReturns() throws Exception {
        routesDir.stop();
        Files.writeString(dir.resolve("early.yaml"), ticker("early", "early"));
        RoutesDirectory second = new RoutesDirectory(camel, dir, 100, new SimpleMeterRegistry());
        try {
            second.afterApplicationStart(camel);
            assertRunning("early");
        } finally {
            second.stop();
        }
    }

    private void awaitTicking(String label) {
        int before = ticks.count(label);
        await(label + " ticking").atMost(Duration.ofSeconds(10)).until(() -> ticks.count(label) > before + 1);
    }

    private void awaitRefused(int failures, String file, String reason) {
        await("refusal of " + file).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(meters.counter("shop.routes.reload.failures").count()).isGreaterThanOrEqualTo(failures);
            assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains(dir.resolve(file).toString()).contains(reason));
        });
    }

    private void assertRunning(String routeId) {
        assertThat(camel.getRouteController().getRouteStatus(routeId)).isEqualTo(ServiceStatus.Started);
    }

    /** Written elsewhere, then moved in: what an operator does (docs/integrations.md). */
    private void deploy(String name, String content) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String ticker(String id, String label) {
        return """
                - route:
                    id: %s
                    from:
                      uri: timer:%s
                      parameters:
                        period: 50
                      steps:
                        - bean:
                            ref: ticks
                            method: "hit('%s')"
                """.formatted(id, id + "-" + label, label);
    }
}
