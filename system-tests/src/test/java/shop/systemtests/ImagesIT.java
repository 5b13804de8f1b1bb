package shop.systemtests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The images {@code bin/build-images} builds with Jib ({@code <service>/target/jib-image.tar}, `docker save`
 * format): what each declares, what it holds, and that one really starts - its layers unpacked into a root
 * file system and its entrypoint run there as the image's user, in a mount and PID namespace of its own, against
 * the real PostgreSQL and RabbitMQ (no Docker engine here). CI builds the images first ({@code .ci/run});
 * without them these tests are skipped.
 */
class ImagesIT {

    static final Map<String, String> MAIN_CLASSES = Map.of(
            "order-service", "shop.order.OrderApplication", "inventory-service", "shop.inventory.InventoryApplication",
            "payment-service", "shop.payment.PaymentApplication", "shipping-service", "shop.shipping.ShippingApplication");

    static Path root;

    @BeforeAll
    static void imagesBuilt() {
        root = Path.of(System.getProperty("shop.root", "..")).toAbsolutePath().normalize();
        for (String service : MAIN_CLASSES.keySet()) {
            assumeThat(image(service)).as("images built by bin/build-images").exists();
        }
    }

    @Test
    void everyImageRunsItsServiceAsNonRootWithTheBenchmarkedJvmOptions() throws Exception {
        for (Map.Entry<String, String> e : MAIN_CLASSES.entrySet()) {
            String service = e.getKey();
            JsonNode manifest = Http.JSON.readTree(read(image(service), "manifest.json")).get(0);
            assertThat(manifest.get("RepoTags").get(0).asText()).startsWith("shop/" + service + ":");
            JsonNode config = Http.JSON.readTree(read(image(service), manifest.get("Config").asText())).get("config");
            assertThat(config.get("User").asText()).as(service + " user").isEqualTo("65532:65532");
            List<String> entrypoint = new ArrayList<>();
            config.get("Entrypoint").forEach(n -> entrypoint.add(n.asText()));
            assertThat(entrypoint).as(service + " entrypoint")
                    .startsWith("java")
                    .containsAll(List.of(DeploymentFiles.CONTAINER_JVM_OPTIONS.split(" ")))
                    .contains("-XX:+ExitOnOutOfMemoryError")
                    .endsWith(e.getValue());
            assertThat(config.get("ExposedPorts").has(DeploymentFiles.PORTS.get(service) + "/tcp")).as(service + " port").isTrue();
        }
    }

    @Test
    void anImageHoldsAJavaRuntimeAndTheServiceAndStartsAsItsUser(@TempDir Path work) throws Exception {
        String service = "inventory-service";
        Path rootfs = Files.createDirectory(work.resolve("rootfs"));
        Commands.require("tar", "-xf", image(service).toString(), "-C", work.toString());
        JsonNode manifest = Http.JSON.readTree(Files.readString(work.resolve("manifest.json"))).get(0);
        for (JsonNode layer : manifest.get("Layers")) {
            Commands.require("tar", "--warning=no-unknown-keyword", "-xzf", work.resolve(layer.asText()).toString(),
                    "-C", rootfs.toString());
        }
        assertThat(rootfs.resolve("usr/lib/jvm/java-17-openjdk-amd64/bin/java")).exists();
        assertThat(rootfs.resolve("app/classes/shop/inventory/InventoryApplication.class")).exists();
        assertThat(rootfs.resolve("app/jib-classpath-file")).exists();
        assumeThat(ProcessHandle.current().info().user().orElse("")).as("running an image needs root (chroot, namespaces)")
                .isEqualTo("root");

        JsonNode config = Http.JSON.readTree(Files.readString(work.resolve(manifest.get("Config").asText()))).get("config");
        int port = FreePorts.find(1);
        Databases.recreate("inventory_img");
        Vhosts.recreate("shop-img");
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "--kill-child=SIGTERM",
                "--mount-proc=" + rootfs.resolve("proc"), "chroot", "--userspec=" + config.get("User").asText(), rootfs.toString(),
                "/usr/bin/env", "-i"));
        config.get("Env").forEach(n -> command.add(n.asText()));
        command.addAll(List.of("SERVER_PORT=" + port, "SHOP_DB_NAME=inventory_img", "RABBITMQ_VHOST=shop-img", "AUTH_JWT_SECRET=" + SystemUnderTest.JWT_SECRET));
        config.get("Entrypoint").forEach(n -> command.add(n.asText()));
        Path log = work.resolve("image.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await("the image's service ready on " + port).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .untilAsserted(() -> {
                        assertThat(process.isAlive()).as("image process alive; log:\n" + Files.readString(log)).isTrue();
                        assertThat(Http.get("http://127.0.0.1:" + port + "/ready", null).statusCode()).isEqualTo(200);
                    });
            assertThat(Files.readString(log)).contains("Started InventoryApplication");
        } finally {
            // SIGTERM to the service itself: unshare's --kill-child does not reach it, since the kernel clears a
            // parent-death signal when chroot --userspec changes the credentials (measured: the JVM outlived the
            // test and kept running after the build)
            try {
                process.descendants().toList().forEach(ImagesIT::stop);
            } finally {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
    }

    /** SIGTERM, then kill -9 after 30 s; waits for the exit either way, whatever is thrown. */
    private static void stop(ProcessHandle jvm) {
        jvm.destroy();
        try {
            jvm.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            jvm.destroyForcibly();
            jvm.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> jvm).join();
        }
    }

    static Path image(String service) {
        return root.resolve(service).resolve("target/jib-image.tar");
    }

    /** One file of an image tarball. */
    static String read(Path tar, String entry) {
        return Commands.require("tar", "-xOf", tar.toString(), entry);
    }
}
