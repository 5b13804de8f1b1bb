package shop.order;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.HasAuthentication;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.UsernameAndPassword;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hawtio console in a real browser - Debian's headless chromium, driven through Debian's chromium-driver:
 * an operator logs in (HTTP Basic), finds the saga route in the Camel routes list, opens its route diagram, and
 * stops and starts a route with the console's own buttons; a viewer's stop is refused, while it sees the route
 * diagram and the route's source as an operator does; a page of another site (a
 * form, a link) cannot stop a route in a logged-in operator's browser. Screenshots go to
 * {@code target/browser-screenshots}.
 * Skipped where chromium or chromedriver is not installed ({@code .ci/run} installs them).
 * <p>
 * Camel's JMX is on here (hawtio shows Camel only through JMX; {@code @CamelSpringBootTest} turns it off by
 * default), so this class starts its own context: the cached one is closed first, never two consumers at once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(value = "chromiumInstalled", disabledReason = HawtioConsoleBrowserTest.SKIPPED)
@DisableJmx(false)
@DirtiesContext(classMode = DirtiesContext.ClassMode.BEFORE_CLASS)
class HawtioConsoleBrowserTest extends OrderServiceTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");
    static final String SKIPPED = "hawtio browser test skipped: it needs Debian's chromium and chromium-driver"
            + " (/usr/bin/chromium, /usr/bin/chromedriver): apt-get install -y chromium chromium-driver";
    static final String OPERATOR = "operator";
    static final String OPERATOR_PASSWORD = "operator-dev-password";
    static final String VIEWER = "viewer";
    static final String VIEWER_PASSWORD = "viewer-dev-password";
    static final String SAGA_ROUTE = "order-saga";
    static final String ROUTE = "saga-recovery";
    static final String ROUTE_MBEAN = "org.apache.camel:context=order-service,type=routes,name=\"" + ROUTE + "\"";
    static final Duration UI_WAIT = Duration.ofSeconds(30);

    static ChromeDriver operator;
    static ChromeDriver viewer;
    static final List<Path> profiles = new ArrayList<>();

    /** On a failure, what each open browser showed (screenshot and page source) beside the other screenshots. */
    @RegisterExtension
    final TestWatcher failureScreenshots = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            String test = context.getRequiredTestMethod().getName();
            for (Map.Entry<String, ChromeDriver> open : openBrowsers().entrySet()) {
                try {
                    screenshot(open.getValue(), "failed-" + test + "-" + open.getKey());
                    Files.writeString(SCREENSHOTS.resolve("failed-" + test + "-" + open.getKey() + ".html"),
                            open.getValue().getPageSource());
                    Files.write(SCREENSHOTS.resolve("failed-" + test + "-" + open.getKey() + "-console.log"),
                            open.getValue().manage().logs().get("browser").getAll().stream().map(LogEntry::toString).toList());
                } catch (Exception e) {
                    cause.addSuppressed(e);
                }
            }
        }
    };

    /** Whether Debian's chromium and chromium-driver are installed; without them the class is skipped, unstarted. */
    static boolean chromiumInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @BeforeAll
    static void screenshotsFolder() throws IOException {
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void quitBrowsers() throws IOException {
        for (ChromeDriver driver : openBrowsers().values()) {
            driver.quit();
        }
        operator = null;
        viewer = null;
        for (Path profile : profiles) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        profiles.clear();
    }

    /** The route back on whatever a test did: the other test classes share this context and need it running. */
    @AfterEach
    void routeStartedAgain() throws Exception {
        if (!"Started".equals(routeState())) {
            HTTP.send(HttpRequest.newBuilder(URI.create(url("/actuator/jolokia/exec/") + ROUTE_MBEAN.replace("\"", "%22") + "/start()"))
                    .header("Authorization", basic(OPERATOR, OPERATOR_PASSWORD)).GET().build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    @Order(1)
    void operatorSeesTheSagaRouteInTheRoutesListAndItsDiagram() throws Exception {
        ChromeDriver browser = operator();
        openRoutesList(browser);
        assertThat(routeNames(browser)).contains(SAGA_ROUTE, ROUTE);
        screenshot(browser, "01-operator-routes-list");

        assertSagaDiagramShown(browser, "02-operator-order-saga-diagram");
    }

    @Test
    @Order(2)
    void operatorStopsAndStartsARouteWithTheConsoleButtons() throws Exception {
        ChromeDriver browser = operator();
        assertThat(routeState()).isEqualTo("Started");
        openRoutesList(browser);

        selectRow(browser, ROUTE);
        toolbarButton(browser, "Stop").click();
        await().atMost(Duration.ofSeconds(20)).until(this::routeState, "Stopped"::equals);
        new WebDriverWait(browser, UI_WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector(".pf-v6-c-alert-group, .pf-v6-c-alert"), "stopped successfully"));
        new WebDriverWait(browser, UI_WAIT).ignoring(StaleElementReferenceException.class).until(d -> stateCell(d, ROUTE).getText().equals("Stopped"));
        showRow(browser, ROUTE);
        screenshot(browser, "03-operator-route-stopped");

        selectRow(browser, ROUTE);
        toolbarButton(browser, "Start").click();
        await().atMost(Duration.ofSeconds(20)).until(this::routeState, "Started"::equals);
        new WebDriverWait(browser, UI_WAIT).ignoring(StaleElementReferenceException.class).until(d -> stateCell(d, ROUTE).getText().equals("Started"));
        showRow(browser, ROUTE);
        screenshot(browser, "04-operator-route-started-again");
    }

    @Test
    @Order(3)
    void viewerSeesTheRoutesButTheStopIsRefused() throws Exception {
        ChromeDriver browser = viewer();
        assertThat(routeState()).isEqualTo("Started");
        openRoutesList(browser);
        assertThat(routeNames(browser)).contains(SAGA_ROUTE, ROUTE);
        browser.manage().logs().get("performance"); // forget the requests so far

        selectRow(browser, ROUTE);
        toolbarButton(browser, "Stop").click();
        List<Integer> execStatuses = new WebDriverWait(browser, UI_WAIT).until(d -> {
            List<Integer> statuses = jolokiaResponses(browser);
            return statuses.contains(403) ? statuses : null;
        });
        new WebDriverWait(browser, UI_WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector(".pf-v6-c-alert-group, .pf-v6-c-alert"), "Couldn't stop the route"));
        showRow(browser, ROUTE);
        assertThat(stateCell(browser, ROUTE).getText()).isEqualTo("Started");
        screenshot(browser, "05-viewer-stop-refused");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(this::routeState, "Started"::equals);
        assertThat(execStatuses).contains(403);
    }

    /**
     * hawtio builds the Camel tree, the route diagram (with its counters) and the source view from Camel operations
     * ({@code dumpRoutesAsXml()}, {@code dumpRoutesStatsAsXml}, {@code isUpdateRouteEnabled()}): a viewer sees them
     * as an operator does, and none of the console's Jolokia requests is refused.
     */
    @Test
    @Order(4)
    void viewerSeesTheRouteDiagramAndItsSource() throws Exception {
        ChromeDriver browser = viewer();
        browser.manage().logs().get("performance"); // forget the requests so far
        browser.get(url("/actuator/hawtio/camel")); // a fresh load: the tree fetches the routes' XML again

        WebDriverWait wait = assertSagaDiagramShown(browser, "08-viewer-order-saga-diagram");

        tab(browser, "Source").click();
        String source = wait.until(d -> {
            String text = d.findElement(By.cssSelector("#camel-source-editor")).getText();
            return text.contains("order-saga") ? text : null;
        });
        screenshot(browser, "09-viewer-order-saga-source");
        assertThat(source).contains("route", "order-saga");

        List<JsonNode> network = networkLog(browser);
        List<String> execs = jolokiaExecs(network);
        System.out.println("the console's Jolokia exec requests as a viewer: " + execs);
        // what hawtio 5.2.0 calls for these views, as JolokiaRoleRestrictor.VIEWER_OPERATIONS names it
        assertThat(execs).as("the routes' XML").anyMatch(e -> e.startsWith("dumpRoutesAsXml() on org.apache.camel:"));
        assertThat(execs).as("the diagram's counters").anyMatch(e -> e.startsWith("dumpRoutesStatsAsXml on org.apache.camel:"));
        assertThat(execs).as("the source view's question").anyMatch(e -> e.startsWith("isUpdateRouteEnabled() on org.apache.camel:"));
        assertThat(jolokiaStatuses(network)).as("no Jolokia request of the console refused").isNotEmpty().doesNotContain(403);
    }

    @Test
    @Order(5)
    void aCrossSitePageCannotStopARouteInALoggedInOperatorsBrowser() throws Exception {
        ChromeDriver browser = operator();
        String stopUrl = url("/actuator/jolokia/exec/" + ROUTE_MBEAN.replace("\"", "%22") + "/stop()");
        // another site's page: a form posting Jolokia's stop as text/plain, and a plain link to the GET form of
        // it. The browser holds the operator's Basic credentials and the XSRF-TOKEN cookie, but that page can
        // send no X-XSRF-TOKEN header.
        String stop = "{\"type\":\"exec\",\"mbean\":\"" + ROUTE_MBEAN.replace("\"", "\\\"") + "\",\"operation\":\"stop()\",\"x\":\"";
        String page = "<html><body><form method='POST' enctype='text/plain' action='" + url("/actuator/jolokia") + "'>"
                + "<input type='hidden' name='" + stop.replace("'", "&#39;") + "' value='\"}'>"
                + "<button id='post' type='submit'>post</button></form><a id='link' href='" + stopUrl + "'>link</a></body></html>";
        String otherSite = "data:text/html;charset=utf-8," + URLEncoder.encode(page, StandardCharsets.UTF_8).replace("+", "%20");

        browser.get(otherSite);
        browser.findElement(By.id("post")).click();
        new WebDriverWait(browser, UI_WAIT).until(ExpectedConditions.urlContains("/actuator/jolokia"));
        String posted = browser.findElement(By.tagName("body")).getText();
        screenshot(browser, "06-cross-site-post-refused");
        assertThat(posted).contains("\"status\":\"FORBIDDEN\"");

        browser.get(otherSite);
        browser.findElement(By.id("link")).click();
        new WebDriverWait(browser, UI_WAIT).until(ExpectedConditions.urlContains("/stop()"));
        String linked = browser.findElement(By.tagName("body")).getText();
        screenshot(browser, "07-cross-site-link-refused");
        assertThat(linked).contains("\"status\":\"FORBIDDEN\"", "CROSS_SITE_REQUEST");

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(this::routeState, "Started"::equals);
    }

    // ---------------------------------------------------------------------------------------------------------

    static Map<String, ChromeDriver> openBrowsers() {
        Map<String, ChromeDriver> open = new LinkedHashMap<>();
        if (operator != null) {
            open.put(OPERATOR, operator);
        }
        if (viewer != null) {
            open.put(VIEWER, viewer);
        }
        return open;
    }

    ChromeDriver operator() throws IOException {
        if (operator == null) {
            operator = browser(OPERATOR, OPERATOR_PASSWORD);
        }
        return operator;
    }

    ChromeDriver viewer() throws IOException {
        if (viewer == null) {
            viewer = browser(VIEWER, VIEWER_PASSWORD);
        }
        return viewer;
    }

    /**
     * A fresh headless chromium with its own profile, answering the service's Basic challenge as {@code user}
     * the way a person types into the browser's login prompt (the browser then keeps the credentials).
     */
    ChromeDriver browser(String user, String password) throws IOException {
        Path profile = Files.createTempDirectory("hawtio-browser-test-");
        profiles.add(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1600,1300");
        // the network log (which Jolokia requests the console sent, what they were answered) and the console's
        options.setCapability("goog:loggingPrefs", Map.of("performance", "ALL", "browser", "ALL"));
        // the driver given explicitly: Selenium Manager never runs, nothing is downloaded
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        String host = URI.create(url("/")).getHost();
        ((HasAuthentication) driver).register(uri -> host.equals(uri.getHost()), () -> new UsernameAndPassword(user, password));
        return driver;
    }

    /** Camel, the context's routes folder, the Routes tab: the routes table. */
    void openRoutesList(ChromeDriver browser) {
        browser.get(url("/actuator/hawtio/camel"));
        treeNode(browser, "routes").click();
        tab(browser, "Routes").click();
        new WebDriverWait(browser, UI_WAIT).until(d -> !d.findElements(By.xpath(rowXpath(ROUTE))).isEmpty());
    }

    static WebElement treeNode(ChromeDriver browser, String label) {
        return new WebDriverWait(browser, UI_WAIT).until(ExpectedConditions.elementToBeClickable(By.xpath(
                "//li[@role='treeitem']//button[contains(@class,'tree-view__node-text') and normalize-space()='" + label + "']")));
    }

    static WebElement tab(ChromeDriver browser, String title) {
        return new WebDriverWait(browser, UI_WAIT).until(ExpectedConditions.elementToBeClickable(
                By.xpath("//nav[@aria-label='Camel Nav']//a[normalize-space()='" + title + "']")));
    }

    static WebElement toolbarButton(ChromeDriver browser, String label) {
        return new WebDriverWait(browser, UI_WAIT).until(ExpectedConditions.elementToBeClickable(
                By.xpath("//*[@id='camel-routes-toolbar']//button[normalize-space()='" + label + "']")));
    }

    static String rowXpath(String route) {
        return "//table[@id='camel-routes-table']//tr[td[@data-label='Name' and normalize-space()='" + route + "']]";
    }

    static List<String> routeNames(ChromeDriver browser) {
        return browser.findElements(By.cssSelector("#camel-routes-table td[data-label='Name']")).stream()
                .map(WebElement::getText).toList();
    }

    static void selectRow(ChromeDriver browser, String route) {
        WebElement box = new WebDriverWait(browser, UI_WAIT).until(ExpectedConditions.elementToBeClickable(
                By.xpath(rowXpath(route) + "//input[@type='checkbox']")));
        if (!box.isSelected()) {
            box.click();
        }
        new WebDriverWait(browser, UI_WAIT).until(ExpectedConditions.elementSelectionStateToBe(box, true));
    }

    /** The route's row in the middle of the table's view, for the screenshot. */
    static void showRow(ChromeDriver browser, String route) {
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", browser.findElement(By.xpath(rowXpath(route))));
    }

    static WebElement stateCell(WebDriver browser, String route) {
        return browser.findElement(By.xpath(rowXpath(route) + "/td[@data-label='State']"));
    }

    /** HTTP statuses of the browser's Jolokia responses since the last look at the network log. */
    static List<Integer> jolokiaResponses(ChromeDriver browser) {
        return jolokiaStatuses(networkLog(browser));
    }

    /** The browser's network events since the last look at the network log (looking forgets them). */
    static List<JsonNode> networkLog(ChromeDriver browser) {
        List<JsonNode> events = new ArrayList<>();
        for (LogEntry entry : browser.manage().logs().get("performance")) {
            try {
                events.add(JSON.readTree(entry.getMessage()).path("message"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return events;
    }

    static List<Integer> jolokiaStatuses(List<JsonNode> network) {
        List<Integer> statuses = new ArrayList<>();
        for (JsonNode message : network) {
            JsonNode response = message.path("params").path("response");
            if (message.path("method").asText().equals("Network.responseReceived") && response.path("url").asText().contains("/jolokia")) {
                statuses.add(response.path("status").asInt());
            }
        }
        return statuses;
    }

    /** The {@code exec} requests the browser sent to Jolokia, as {@code operation on mbean} (GET paths as they are). */
    static List<String> jolokiaExecs(List<JsonNode> network) throws IOException {
        List<String> execs = new ArrayList<>();
        for (JsonNode message : network) {
            JsonNode request = message.path("params").path("request");
            if (!message.path("method").asText().equals("Network.requestWillBeSent") || !request.path("url").asText().contains("/jolokia")) {
                continue;
            }
            if (request.path("url").asText().contains("/exec/")) {
                execs.add(request.path("url").asText());
            }
            if (request.hasNonNull("postData")) {
                JsonNode body = JSON.readTree(request.path("postData").asText());
                for (JsonNode one : body.isArray() ? body : JSON.createArrayNode().add(body)) {
                    if ("exec".equalsIgnoreCase(one.path("type").asText())) {
                        execs.add(one.path("operation").asText() + " on " + one.path("mbean").asText());
                    }
                }
            }
        }
        return execs;
    }

    static void screenshot(ChromeDriver browser, String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    /** The route's state as JMX has it, read over Jolokia with an operator's Basic credentials. */
    String routeState() throws Exception {
        String mbean = ROUTE_MBEAN.replace("\"", "%22");
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url("/actuator/jolokia/read/") + mbean + "/State"))
                .header("Authorization", basic(OPERATOR, OPERATOR_PASSWORD)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("value").asText();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Opens the saga route's diagram and checks it shows a filter per step and its route (labels cut short by
     * hawtio; the diagram is taller than the view, whose first nodes - From, Do Try - may lie outside it).
     */
    private static WebDriverWait assertSagaDiagramShown(ChromeDriver browser, String screenshotName) throws IOException {
        treeNode(browser, SAGA_ROUTE).click();
        tab(browser, "Route Diagram").click();
        WebDriverWait wait = new WebDriverWait(browser, UI_WAIT);
        wait.ignoring(StaleElementReferenceException.class); // the console redraws as its polls answer
        wait.until(d -> d.findElement(By.cssSelector("#camel-content-header h1")).getText().equals(SAGA_ROUTE));
        List<WebElement> nodes = wait.until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(".react-flow__node"));
            return found.size() >= 5 ? found : null;
        });
        // the diagram draws its nodes a few at a time: wait for the last step before reading it
        String diagram = wait.until(d -> {
            String text = d.findElement(By.cssSelector(".react-flow")).getText();
            return text.contains("To direct:confirm") ? text : null;
        });
        screenshot(browser, screenshotName);
        assertThat(nodes).hasSizeGreaterThanOrEqualTo(5);
        assertThat(diagram).contains("Filter", "To direct:reserve", "To direct:charge", "To direct:confirm");
        return wait;
    }
}
