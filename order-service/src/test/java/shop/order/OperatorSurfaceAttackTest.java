package shop.order;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Queue;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;

import shop.platform.security.SecurityProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Hostile calls on the operator side of a running order service (real HTTP, broker and database; Camel's JMX on,
 * as in production): every way a viewer could put an operation to Jolokia, the diagnostic MBeans for operators
 * too, the hawtio proxy, message and route injection, other sites' requests; each is refused (401/403) and
 * NOTHING changed - the route still started, no SQL ran, no file or heap dump written, the queue still there,
 * nothing outside the process contacted, no resolved property placeholder (a password) in any answer. What a viewer
 * may call besides reading: the Camel reads hawtio draws routes, diagrams, sources and statistics from. Then Basic on the customer path (no password hashed for 1,000 requests)
 * and a password guesser throttled per caller (429 with Retry-After, counted) while another caller logs in.
 * <p>
 * Like {@link HawtioConsoleBrowserTest} this class starts its own context with JMX on (the cached one is closed
 * first, never two consumers at once).
 */
@DisableJmx(false)
@DirtiesContext(classMode = DirtiesContext.ClassMode.BEFORE_CLASS)
class OperatorSurfaceAttackTest extends OrderServiceTest {

    static final String ROUTE = "saga-recovery";
    static final String ROUTE_MBEAN = "org.apache.camel:context=order-service,type=routes,name=\"" + ROUTE + "\"";
    static final String ROUTE_PATH = ROUTE_MBEAN.replace("\"", "%22");
    static final String CONTEXT_MBEAN = "org.apache.camel:context=order-service,type=context,name=\"order-service\"";
    static final String CONTEXT_PATH = CONTEXT_MBEAN.replace("\"", "%22");
    static final String PROBE_TABLE = "sec_probe";
    static final String PROBE_QUEUE = "sec.probe.keep-me";
    static final String SQL = "sql:CREATE TABLE " + PROBE_TABLE + " (x int)";
    static final String CSRF = "sec-test-csrf-token";
    /** A route whose definition names a secret by property placeholder, as an integration's API key would be. */
    static final String SECRET_ROUTE = "sec-placeholder-probe";
    static final String SECRET_PLACEHOLDER = "{{shop.security.operator-password}}";
    static final String SECRET = "operator-dev-password";

    static final Path OUTSIDE = tempDir();
    static final AtomicInteger outsideContacts = new AtomicInteger();
    static ServerSocket outside;

    @Autowired
    CamelContext camel;
    @Autowired
    AmqpAdmin amqp;
    @Autowired
    MeterRegistry meters;
    @Autowired
    SecurityProperties security;

    enum Caller {
        VIEWER("Basic " + b64("viewer:viewer-dev-password")),
        OPERATOR("Basic " + b64("operator:operator-dev-password")),
        NOBODY(null),
        WRONG_PASSWORD("Basic " + b64("operator:guess")),
        CUSTOMER(null);

        final String authorization;

        Caller(String authorization) {
            this.authorization = authorization;
        }
    }

    /** A Jolokia request: GET of a path (with its query) or POST of a JSON body (with the console's CSRF token). */
    record Call(String method, String target, String body) {
        static Call get(String pathAndQuery) {
            return new Call("GET", pathAndQuery, null);
        }

        static Call post(String json) {
            return new Call("POST", "/actuator/jolokia", json);
        }

        @Override
        public String toString() {
            return method + " " + target + (body == null ? "" : " " + body);
        }
    }

    static Stream<Arguments> hostileCalls() {
        String stop = "{\"type\":\"exec\",\"mbean\":\"" + json(ROUTE_MBEAN) + "\",\"operation\":\"stop()\"}";
        String sendSql = sendBody(SQL);
        String dumpHeap = "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\","
                + "\"operation\":\"dumpHeap(java.lang.String,boolean)\",\"arguments\":[\"" + json(OUTSIDE.resolve("heap.hprof").toString()) + "\",true]}";
        String gcHeapDump = "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
                + "\"operation\":\"gcHeapDump([Ljava.lang.String;)\",\"arguments\":[[\"" + json(OUTSIDE.resolve("diag.hprof").toString()) + "\"]]}";
        String heapPath = OUTSIDE.resolve("get.hprof").toString().replace("/", "!/");
        String stopQuery = "/exec/" + ROUTE_MBEAN + "/stop()";
        String resolvedXml = "{\"type\":\"exec\",\"mbean\":\"" + json(CONTEXT_MBEAN) + "\",\"operation\":\"dumpRoutesAsXml(boolean)\",\"arguments\":[true]}";
        return Stream.of(
                // a viewer's Camel reads beyond the ones hawtio needs: the overloads that resolve placeholders, in every form
                arguments("viewer dumpRoutesAsXml(boolean) resolving placeholders", Caller.VIEWER, Call.post(resolvedXml), 403),
                arguments("viewer dumpRoutesAsXml(boolean) by path", Caller.VIEWER,
                        Call.get("/actuator/jolokia/exec/" + CONTEXT_PATH + "/dumpRoutesAsXml(boolean)/true"), 403),
                arguments("viewer dumpRoutesAsXml(boolean, boolean) with a space", Caller.VIEWER,
                        Call.post(resolvedXml.replace("(boolean)", "(boolean, boolean)").replace("[true]", "[true,false]")), 403),
                arguments("viewer dumpRoutesAsXml(boolean,boolean,boolean)", Caller.VIEWER,
                        Call.post(resolvedXml.replace("(boolean)", "(boolean,boolean,boolean)").replace("[true]", "[true,false,false]")), 403),
                arguments("viewer dumpRoutesAsXml without a signature, overloaded", Caller.VIEWER,
                        Call.post(resolvedXml.replace("dumpRoutesAsXml(boolean)", "dumpRoutesAsXml")), 403),
                arguments("viewer dumpRoutesAsYaml(boolean,boolean)", Caller.VIEWER,
                        Call.post(resolvedXml.replace("dumpRoutesAsXml(boolean)", "dumpRoutesAsYaml(boolean,boolean)").replace("[true]", "[true,false]")), 403),
                arguments("viewer dumpRouteAsXml(boolean) of one route", Caller.VIEWER, Call.post("{\"type\":\"exec\",\"mbean\":\"" + json(ROUTE_MBEAN)
                        + "\",\"operation\":\"dumpRouteAsXml(boolean)\",\"arguments\":[true]}"), 403),
                arguments("viewer dumpRoutesAsXml() on an ObjectName pattern", Caller.VIEWER,
                        Call.post(resolvedXml.replace(json(CONTEXT_MBEAN), "org.apache.camel:type=context,*").replace("(boolean)", "()").replace("[true]", "[]")), 403),
                arguments("viewer bulk of two resolving overloads", Caller.VIEWER, Call.post("[" + resolvedXml + ","
                        + resolvedXml.replace("(boolean)", "(boolean,boolean)").replace("[true]", "[true,true]") + "]"), 403),
                // nobody resolves placeholders, operators included: every overload of every route dump that takes them
                arguments("operator dumpRoutesAsXml(boolean) resolving placeholders", Caller.OPERATOR, Call.post(resolvedXml), 403),
                arguments("operator dumpRoutesAsXml(boolean,boolean,boolean) by path", Caller.OPERATOR,
                        Call.get("/actuator/jolokia/exec/" + CONTEXT_PATH + "/dumpRoutesAsXml(boolean,boolean,boolean)/true/false/false"), 403),
                arguments("operator dumpRoutesAsYaml(boolean, boolean) with a space", Caller.OPERATOR,
                        Call.post(resolvedXml.replace("dumpRoutesAsXml(boolean)", "dumpRoutesAsYaml(boolean, boolean)").replace("[true]", "[true,false]")), 403),
                arguments("operator dumpRestsAsXml(boolean)", Caller.OPERATOR,
                        Call.post(resolvedXml.replace("dumpRoutesAsXml(boolean)", "dumpRestsAsXml(boolean)")), 403),
                arguments("operator dumpRouteAsYaml(boolean,boolean) of one route", Caller.OPERATOR, Call.post("{\"type\":\"exec\",\"mbean\":\"" + json(ROUTE_MBEAN)
                        + "\",\"operation\":\"dumpRouteAsYaml(boolean,boolean)\",\"arguments\":[true,false]}"), 403),
                arguments("operator dumpRouteAsXml without a signature, overloaded", Caller.OPERATOR, Call.post("{\"type\":\"exec\",\"mbean\":\"" + json(ROUTE_MBEAN)
                        + "\",\"operation\":\"dumpRouteAsXml\",\"arguments\":[true]}"), 403),
                // a viewer operating, in every form Jolokia reads
                arguments("viewer exec by path", Caller.VIEWER, Call.get("/actuator/jolokia/exec/" + ROUTE_PATH + "/stop()"), 403),
                arguments("viewer exec by ?p=", Caller.VIEWER, Call.get("/actuator/jolokia?p=" + stopQuery.replace("\"", "%22")), 403),
                arguments("viewer exec by ?p= with encoded slashes", Caller.VIEWER, Call.get("/actuator/jolokia?p=" + enc(stopQuery)), 403),
                arguments("viewer exec by path with encoded slashes", Caller.VIEWER,
                        Call.get("/actuator/jolokia/exec%2F" + ROUTE_PATH + "%2Fstop()"), 400),
                arguments("viewer exec by POST object", Caller.VIEWER, Call.post(stop), 403),
                arguments("viewer exec by POST under a read path", Caller.VIEWER,
                        new Call("POST", "/actuator/jolokia/read/java.lang:type=Memory/HeapMemoryUsage", stop), 403),
                arguments("viewer exec by POST object, type in capitals", Caller.VIEWER, Call.post(stop.replace("\"exec\"", "\"EXEC\"")), 403),
                arguments("viewer exec by POST bulk array", Caller.VIEWER, Call.post("[" + stop + "," + sendSql + "]"), 403),
                arguments("viewer sendBody to sql:", Caller.VIEWER, Call.post(sendSql), 403),
                arguments("viewer sendBody to file: (a route file is code)", Caller.VIEWER,
                        Call.post(sendBody("file:" + OUTSIDE + "?fileName=injected.yaml")), 403),
                arguments("viewer exec named like a read (dump*)", Caller.VIEWER, Call.post(dumpHeap), 403),
                arguments("viewer exec on an ObjectName pattern", Caller.VIEWER,
                        Call.post(stop.replace("name=\\\"saga-recovery\\\"", "*")), 403),
                arguments("viewer exec of hawtio's tree operation on another MBean", Caller.VIEWER,
                        Call.post("{\"type\":\"exec\",\"mbean\":\"" + json(ROUTE_MBEAN) + "\",\"operation\":\"list()\"}"), 403),
                arguments("viewer write by path", Caller.VIEWER, Call.get("/actuator/jolokia/write/" + CONTEXT_PATH + "/Tracing/true"), 403),
                arguments("viewer write by POST", Caller.VIEWER,
                        Call.post("{\"type\":\"write\",\"mbean\":\"" + json(CONTEXT_MBEAN) + "\",\"attribute\":\"Tracing\",\"value\":true}"), 403),
                arguments("viewer exec through hawtio's Jolokia path", Caller.VIEWER,
                        Call.get("/actuator/hawtio/jolokia/exec/" + ROUTE_PATH + "/stop()"), 403),
                // what no web caller may do, operators included
                arguments("viewer dumpHeap by path", Caller.VIEWER, Call.get("/actuator/jolokia/exec/com.sun.management:type=HotSpotDiagnostic/"
                        + "dumpHeap(java.lang.String,boolean)/" + heapPath + "/true"), 403),
                arguments("operator dumpHeap by path", Caller.OPERATOR, Call.get("/actuator/jolokia/exec/com.sun.management:type=HotSpotDiagnostic/"
                        + "dumpHeap(java.lang.String,boolean)/" + heapPath + "/true"), 403),
                arguments("operator dumpHeap by POST", Caller.OPERATOR, Call.post(dumpHeap), 403),
                arguments("operator dumpHeap on an ObjectName pattern", Caller.OPERATOR,
                        Call.post(dumpHeap.replace("com.sun.management:type=HotSpotDiagnostic", "*:type=HotSpotDiagnostic")), 403),
                arguments("operator DiagnosticCommand gcHeapDump", Caller.OPERATOR, Call.post(gcHeapDump), 403),
                arguments("operator flight recording", Caller.OPERATOR,
                        Call.post("{\"type\":\"exec\",\"mbean\":\"jdk.management.jfr:type=FlightRecorder\",\"operation\":\"newRecording()\"}"), 403),
                arguments("operator sendBody to sql:", Caller.OPERATOR, Call.post(sendSql), 403),
                arguments("operator sendBody to file:", Caller.OPERATOR, Call.post(sendBody("file:" + OUTSIDE + "?fileName=injected.yaml")), 403),
                arguments("operator route code update", Caller.OPERATOR, Call.post("{\"type\":\"exec\",\"mbean\":\"" + json(ROUTE_MBEAN)
                        + "\",\"operation\":\"updateRouteFromXml\",\"arguments\":[\"<route id='saga-recovery'><from uri='timer:x'/>"
                        + "<to uri='" + SQL + "'/></route>\"]}"), 403),
                arguments("operator deletes a queue", Caller.OPERATOR, Call.post("{\"type\":\"exec\",\"mbean\":"
                        + "\"org.springframework.amqp.rabbit.core:name=amqpAdmin,type=RabbitAdmin\",\"operation\":\"deleteQueue(java.lang.String)\","
                        + "\"arguments\":[\"" + PROBE_QUEUE + "\"]}"), 403),
                arguments("operator hawtio proxy to a local port", Caller.OPERATOR, Call.get("/actuator/hawtio/proxy/127.0.0.1/PORT/x"), 403),
                // nobody, a guess, a customer
                arguments("no credentials", Caller.NOBODY, Call.get("/actuator/jolokia/exec/" + ROUTE_PATH + "/stop()"), 401),
                arguments("wrong password", Caller.WRONG_PASSWORD, Call.get("/actuator/jolokia/exec/" + ROUTE_PATH + "/stop()"), 401),
                arguments("customer token", Caller.CUSTOMER, Call.get("/actuator/jolokia/exec/" + ROUTE_PATH + "/stop()"), 401));
    }

    @BeforeAll
    static void outsideTheProcess() throws IOException {
        outside = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread listener = new Thread(() -> {
            while (!outside.isClosed()) {
                try (Socket contact = outside.accept()) {
                    outsideContacts.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "outside-listener");
        listener.setDaemon(true);
        listener.start();
    }

    @AfterAll
    static void closeOutside() throws IOException {
        outside.close();
    }

    @BeforeEach
    void probeQueue() {
        amqp.declareQueue(new Queue(PROBE_QUEUE, false, false, false));
    }

    /** Never started: it is there to be dumped. */
    @BeforeEach
    void routeNamingASecret() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + SECRET_ROUTE).routeId(SECRET_ROUTE).autoStartup(false)
                        .setHeader("partnerApiKey", constant(SECRET_PLACEHOLDER)).to("log:" + SECRET_ROUTE);
            }
        });
    }

    @AfterEach
    void noRouteNamingASecret() throws Exception {
        camel.getRouteController().stopRoute(SECRET_ROUTE);
        camel.removeRoute(SECRET_ROUTE);
    }

    @AfterEach
    void routeStartedAgain() throws Exception {
        if (camel.getRouteController().getRouteStatus(ROUTE) != ServiceStatus.Started) {
            camel.getRouteController().startRoute(ROUTE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileCalls")
    void refusedAndNothingChanged(String attack, Caller caller, Call call, int status) throws Exception {
        HttpResponse<String> response = send(caller, call);

        assertThat(response.statusCode()).as(attack + ": " + response.body()).isEqualTo(status);
        if (status != 400) { // Tomcat itself refuses an encoded slash in the path, with its own page
            assertThat(response.body()).as("the contract's JSON").contains(status == 401 ? "UNAUTHORIZED" : "FORBIDDEN");
        }
        assertThat(response.body()).as("no secret revealed").doesNotContain(SECRET);
        assertNothingChanged(attack);
    }

    /** A bulk partly served stays 200 - Jolokia's per-request statuses - and its refused part did nothing. */
    @Test
    void aBulkWithAReadAndAnExecServesOnlyTheRead() throws Exception {
        String read = "{\"type\":\"read\",\"mbean\":\"" + json(ROUTE_MBEAN) + "\",\"attribute\":\"State\"}";
        String stop = "{\"type\":\"exec\",\"mbean\":\"" + json(ROUTE_MBEAN) + "\",\"operation\":\"stop()\"}";
        HttpResponse<String> response = send(Caller.VIEWER, Call.post("[" + read + "," + stop + "]"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answers = JSON.readTree(response.body());
        assertThat(answers.get(0).path("value").asText()).isEqualTo("Started");
        assertThat(answers.get(1).path("status").asInt()).isEqualTo(403);
        assertNothingChanged("bulk");
    }

    /**
     * What hawtio 5.2.0's Camel views call (its source: the tree and the source view {@code dumpRoutesAsXml()}, the
     * route diagram and the profile {@code dumpRoutesStatsAsXml} without a signature, the source view
     * {@code isUpdateRouteEnabled()}), in the forms the console and a person send them: answered for a viewer
     * with content, the routes' XML with its placeholders as written, never resolved.
     */
    @Test
    void viewersReadTheRoutesDiagramsSourcesAndStatisticsTheConsoleShows() throws Exception {
        String xml = "{\"type\":\"exec\",\"mbean\":\"" + json(CONTEXT_MBEAN) + "\",\"operation\":\"dumpRoutesAsXml()\",\"arguments\":[]}";
        JsonNode routes = jolokiaValue(send(Caller.VIEWER, Call.post(xml)));
        assertThat(routes.asText()).contains("id=\"" + ROUTE + "\"", "id=\"order-saga\"", "id=\"" + SECRET_ROUTE + "\"", SECRET_PLACEHOLDER)
                .doesNotContain(SECRET);
        JsonNode byPath = jolokiaValue(send(Caller.VIEWER, Call.get("/actuator/jolokia/exec/" + CONTEXT_PATH + "/dumpRoutesAsXml()")));
        assertThat(byPath.asText()).contains("id=\"" + ROUTE + "\"", SECRET_PLACEHOLDER).doesNotContain(SECRET);

        // as hawtio sends it: the name alone (Camel has one dumpRoutesStatsAsXml) and both flags true
        JsonNode stats = jolokiaValue(send(Caller.VIEWER, Call.post("{\"type\":\"exec\",\"mbean\":\"" + json(CONTEXT_MBEAN)
                + "\",\"operation\":\"dumpRoutesStatsAsXml\",\"arguments\":[true,true]}")));
        assertThat(stats.asText()).contains("<routeStat", "id=\"" + ROUTE + "\"", "<processorStat", "exchangesCompleted=");
        JsonNode signed = jolokiaValue(send(Caller.VIEWER, Call.post("{\"type\":\"exec\",\"mbean\":\"" + json(CONTEXT_MBEAN)
                + "\",\"operation\":\"dumpRoutesStatsAsXml(boolean, boolean)\",\"arguments\":[false,false]}")));
        assertThat(signed.asText()).contains("<routeStat", "id=\"" + ROUTE + "\"");

        JsonNode updatable = jolokiaValue(send(Caller.VIEWER, Call.get("/actuator/jolokia/exec/" + ROUTE_PATH + "/isUpdateRouteEnabled()")));
        assertThat(updatable.isBoolean()).as(updatable.toString()).isTrue();

        // a bulk as the console's scheduler sends it: the allowed read served, its resolving overload refused
        HttpResponse<String> bulk = send(Caller.VIEWER, Call.post("[" + xml + "," + xml.replace("dumpRoutesAsXml()", "dumpRoutesAsXml(boolean)")
                .replace("[]", "[true]") + "]"));
        assertThat(bulk.statusCode()).isEqualTo(200);
        JsonNode answers = JSON.readTree(bulk.body());
        assertThat(answers.get(0).path("status").asInt()).isEqualTo(200);
        assertThat(answers.get(0).path("value").asText()).contains(SECRET_PLACEHOLDER);
        assertThat(answers.get(1).path("status").asInt()).isEqualTo(403);
        assertThat(bulk.body()).doesNotContain(SECRET);

        // the operator reads the same routes as written; the resolving overload, which would answer the secret itself,
        // is refused to operators too (ADR 18, amendment 2)
        assertThat(jolokiaValue(send(Caller.OPERATOR, Call.post(xml))).asText()).contains(SECRET_PLACEHOLDER);
        HttpResponse<String> resolved = send(Caller.OPERATOR, Call.post(xml.replace("dumpRoutesAsXml()", "dumpRoutesAsXml(boolean)").replace("[]", "[true]")));
        assertThat(resolved.statusCode()).isEqualTo(403);
        assertThat(resolved.body()).doesNotContain(SECRET);
        assertNothingChanged("viewer reads");
    }

    @Test
    void operatorStopsAndStartsARouteAsTheRunbooksDo() throws Exception {
        assertThat(send(Caller.OPERATOR, Call.get("/actuator/jolokia/exec/" + ROUTE_PATH + "/stop()")).statusCode()).isEqualTo(200);
        assertThat(camel.getRouteController().getRouteStatus(ROUTE)).isEqualTo(ServiceStatus.Stopped);
        assertThat(send(Caller.OPERATOR, Call.get("/actuator/jolokia/exec/" + ROUTE_PATH + "/start()")).statusCode()).isEqualTo(200);
        assertThat(camel.getRouteController().getRouteStatus(ROUTE)).isEqualTo(ServiceStatus.Started);

        String stop = "{\"type\":\"exec\",\"mbean\":\"" + json(ROUTE_MBEAN) + "\",\"operation\":\"stop()\"}";
        HttpResponse<String> posted = send(Caller.OPERATOR, Call.post(stop));
        assertThat(JSON.readTree(posted.body()).path("status").asInt()).as(posted.body()).isEqualTo(200);
        assertThat(camel.getRouteController().getRouteStatus(ROUTE)).isEqualTo(ServiceStatus.Stopped);
    }

    @Test
    void viewersLookAndTheDiagnosticMBeansAreNotEvenListed() throws Exception {
        HttpResponse<String> state = send(Caller.VIEWER, Call.get("/actuator/jolokia/read/" + ROUTE_PATH + "/State"));
        assertThat(JSON.readTree(state.body()).path("value").asText()).isEqualTo("Started");

        HttpResponse<String> names = send(Caller.OPERATOR, Call.get("/actuator/jolokia/search/*:*"));
        assertThat(names.body()).contains("org.apache.camel", "java.lang:type=Memory")
                .doesNotContain("com.sun.management", "jdk.management.jfr", "RabbitAdmin", "jolokia:type=Discovery");
        HttpResponse<String> list = send(Caller.VIEWER, Call.get("/actuator/jolokia/list?maxDepth=1"));
        assertThat(list.body()).contains("org.apache.camel").doesNotContain("com.sun.management", "jdk.management.jfr");
        // the one operation a viewer may call: hawtio's MBean tree, without which the console shows it nothing
        HttpResponse<String> tree = send(Caller.VIEWER, Call.post("{\"type\":\"exec\",\"mbean\":\"hawtio:type=security,name=RBACRegistry\","
                + "\"operation\":\"list()\",\"arguments\":[]}"));
        assertThat(JSON.readTree(tree.body()).path("status").asInt()).as(tree.body()).isEqualTo(200);
        assertThat(tree.body()).contains("org.apache.camel");
    }

    @Test
    void nothingReachesBeyondTheProcess() throws Exception {
        // Jolokia's JSR-160 proxy is not there: the target is ignored, the local MBean answers
        String remote = "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"HeapMemoryUsage\",\"target\":"
                + "{\"url\":\"service:jmx:rmi:///jndi/rmi://127.0.0.1:" + outside.getLocalPort() + "/jmxrmi\"}}";
        HttpResponse<String> proxied = send(Caller.OPERATOR, Call.post(remote));
        assertThat(JSON.readTree(proxied.body()).path("value").has("used")).as(proxied.body()).isTrue();
        // no CORS answer that would let another site read Jolokia with the browser's credentials
        HttpResponse<String> cors = HTTP.send(HttpRequest.newBuilder(URI.create(url("/actuator/jolokia/read/java.lang:type=Memory/HeapMemoryUsage")))
                .header("Authorization", Caller.VIEWER.authorization).header("Origin", "http://evil.example").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(cors.statusCode()).isEqualTo(200);
        assertThat(cors.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        // a page of another site, in an operator's browser
        HttpResponse<String> crossSite = HTTP.send(HttpRequest.newBuilder(URI.create(url("/actuator/jolokia/exec/" + ROUTE_PATH + "/stop()")))
                .header("Authorization", Caller.OPERATOR.authorization).header("Sec-Fetch-Site", "cross-site").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(crossSite.body()).contains("CROSS_SITE_REQUEST");
        assertNothingChanged("beyond the process");
    }

    @Test
    void basicOnTheCustomerPathIsRefusedWithoutHashingAPassword() throws Exception {
        double before = passwordChecks();
        long started = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("/orders")))
                    .header("Content-Type", "application/json").header("Authorization", i % 2 == 0 ? Caller.OPERATOR.authorization
                            : "Basic " + b64("operator:guess-" + i))
                    .POST(HttpRequest.BodyPublishers.ofString(OrderSagaTest.order("SKU-B", 1, "pm_card_visa"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        }
        System.out.printf("1,000 POST /orders with Basic: %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(passwordChecks()).as("no password hashed for a Basic header on /orders").isEqualTo(before);

        // the counter counts: one operator login is one check
        HttpResponse<String> admin = HTTP.send(HttpRequest.newBuilder(URI.create(url("/admin/orders?status=PENDING")))
                .header("Authorization", Caller.OPERATOR.authorization).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(passwordChecks()).isEqualTo(before + 1);
    }

    @Test
    void aPasswordGuesserIsThrottledWhileAnotherCallerLogsIn() throws Exception {
        String guesser = "127.0.0.3";
        String colleague = "127.0.0.2";
        String path = "/admin/orders?status=PENDING";
        double failures = counter("shop.auth.failures");
        double throttled = counter("shop.auth.throttled");
        int limit = security.loginFailureLimit();

        for (int i = 0; i < limit; i++) {
            assertThat(rawGet(guesser, path, "Basic " + b64("operator:guess-" + i)).status).as("guess " + i).isEqualTo(401);
        }
        double checks = passwordChecks();
        Raw refused = rawGet(guesser, path, "Basic " + b64("operator:guess-x"));
        assertThat(refused.status).isEqualTo(429);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, security.loginFailureWindowSeconds());
        assertThat(refused.body).contains("\"status\":\"TOO_MANY_REQUESTS\"", "LOGIN_THROTTLED", "retry_after");
        assertThat(rawGet(guesser, path, Caller.OPERATOR.authorization).status).as("even the right password, unchecked").isEqualTo(429);
        assertThat(passwordChecks()).as("a throttled caller costs no bcrypt").isEqualTo(checks);

        assertThat(rawGet(colleague, path, Caller.OPERATOR.authorization).status).as("another caller").isEqualTo(200);
        assertThat(counter("shop.auth.failures")).isEqualTo(failures + limit);
        assertThat(counter("shop.auth.throttled")).isEqualTo(throttled + 2);
        HttpResponse<String> scrape = HTTP.send(HttpRequest.newBuilder(URI.create(url("/actuator/prometheus")))
                .header("Authorization", Caller.VIEWER.authorization).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.body()).contains("shop_auth_failures_total", "shop_auth_throttled_total", "shop_auth_password_checks_total");
    }

    // ---------------------------------------------------------------------------------------------------------

    void assertNothingChanged(String attack) throws Exception {
        assertThat(camel.getRouteController().getRouteStatus(ROUTE)).as(attack + ": the route still started").isEqualTo(ServiceStatus.Started);
        assertThat(camel.isTracing()).as(attack + ": no attribute written").isFalse();
        assertThat(jdbc.queryForObject("SELECT to_regclass(?::text) IS NULL", Boolean.class, PROBE_TABLE)).as(attack + ": no SQL ran").isTrue();
        try (Stream<Path> files = Files.list(OUTSIDE)) {
            assertThat(files.toList()).as(attack + ": no file written, no heap dump taken").isEmpty();
        }
        assertThat(amqp.getQueueProperties(PROBE_QUEUE)).as(attack + ": the queue is still there").isNotNull();
        assertThat(outsideContacts.get()).as(attack + ": nothing outside the process contacted").isZero();
    }

    /** The value of a single Jolokia answer, which must be served (HTTP 200 and Jolokia's 200). */
    static JsonNode jolokiaValue(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("status").asInt()).as(response.body()).isEqualTo(200);
        return answer.path("value");
    }

    HttpResponse<String> send(Caller caller, Call call) throws Exception {
        String target = call.target().replace("/PORT/", "/" + outside.getLocalPort() + "/");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(target)));
        if (caller == Caller.CUSTOMER) {
            request.header("Authorization", "Bearer " + token("mallory", Instant.now().plusSeconds(600)));
        } else if (caller.authorization != null) {
            request.header("Authorization", caller.authorization);
        }
        if ("POST".equals(call.method())) {
            request.header("Content-Type", "application/json").header("X-XSRF-TOKEN", CSRF).header("Cookie", "XSRF-TOKEN=" + CSRF)
                    .POST(HttpRequest.BodyPublishers.ofString(call.body()));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    double passwordChecks() {
        return counter("shop.auth.password.checks");
    }

    double counter(String name) {
        return meters.get(name).counter().count();
    }

    record Raw(int status, List<String> headers, String body) {
        String header(String name) {
            return headers.stream().filter(h -> h.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(h -> h.substring(name.length() + 1).trim()).findFirst().orElseThrow();
        }
    }

    /** A GET from a given loopback address (the throttle keys on the caller's address). */
    Raw rawGet(String source, String path, String authorization) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: " + authorization
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = response.indexOf("\r\n\r\n");
            List<String> head = List.of(response.substring(0, end).split("\r\n"));
            return new Raw(Integer.parseInt(head.get(0).split(" ")[1]), head.subList(1, head.size()), response.substring(end + 4));
        }
    }

    static String sendBody(String endpoint) {
        return "{\"type\":\"exec\",\"mbean\":\"" + json(CONTEXT_MBEAN) + "\",\"operation\":\"sendBody(java.lang.String,java.lang.Object)\","
                + "\"arguments\":[\"" + json(endpoint) + "\",\"from a hostile caller\"]}";
    }

    static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("operator-surface-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
