package shop.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With SPRING_PROFILES_ACTIVE=prod a service refuses to start on unset or development secrets, and the payment
 * service on the simulator provider unless PAYMENT_SIMULATOR_ALLOWED=true (CONTRACT.md, Authentication).
 */
class ProductionProfileIT {

    /** A database of this test's own: the payment service that does start runs its migrations there. */
    static final String PAYMENT_DB = "payments_prodprofile_st";

    static final Map<String, String> GOOD = Map.of(
            "AUTH_JWT_SECRET", "a-production-secret-that-is-long-enough-0123456789",
            "OPERATOR_PASSWORD", "op-Very-Secret-1", "VIEWER_PASSWORD", "view-Very-Secret-2",
            "POSTGRES_PASSWORD", "pg-Very-Secret-3", "RABBITMQ_PASSWORD", "mq-Very-Secret-4");

    @Test
    void missingSecretStopsTheServiceWithAClearMessage() throws Exception {
        Map<String, String> env = new HashMap<>(GOOD);
        env.remove("OPERATOR_PASSWORD");
        Result r = start(env);
        assertThat(r.exitCode).isNotZero();
        assertThat(r.output).contains("refusing to start with profile 'prod'").contains("OPERATOR_PASSWORD is not set");
        assertThat(r.output).doesNotContain("pg-Very-Secret-3");
    }

    @Test
    void developmentSecretStopsTheService() throws Exception {
        Map<String, String> env = new HashMap<>(GOOD);
        env.put("AUTH_JWT_SECRET", "dev-only-jwt-secret-change-me-0123456789abcdef");
        env.put("RABBITMQ_PASSWORD", "guest");
        Result r = start(env);
        assertThat(r.exitCode).isNotZero();
        assertThat(r.output).contains("AUTH_JWT_SECRET is a development value").contains("RABBITMQ_PASSWORD is a development value");
    }

    @Test
    void paymentServiceRefusesTheSimulatorWithoutTheOptIn() throws Exception {
        Map<String, String> env = new HashMap<>(GOOD);
        env.put("PAYMENT_PROVIDER", "simulator");
        Result r = start("payment-service", PAYMENT_DB, env);
        assertThat(r.exitCode).isNotZero();
        assertThat(r.output).contains("refusing to start with profile 'prod'").contains("PAYMENT_PROVIDER is simulator")
                .contains("PAYMENT_SIMULATOR_ALLOWED=true");
        // the default (no PAYMENT_PROVIDER at all) is the simulator: refused too
        assertThat(start("payment-service", PAYMENT_DB, GOOD).output).contains("PAYMENT_PROVIDER is simulator");
    }

    @Test
    void paymentServiceRefusesStripeWithoutItsKey() throws Exception {
        Map<String, String> env = new HashMap<>(GOOD);
        env.put("PAYMENT_PROVIDER", "stripe");
        Result r = start("payment-service", PAYMENT_DB, env);
        assertThat(r.exitCode).isNotZero();
        assertThat(r.output).contains("STRIPE_API_KEY is not set").doesNotContain("PAYMENT_PROVIDER is simulator");
    }

    @Test
    void paymentServiceStartsWithTheSimulatorWhenExplicitlyAllowed() throws Exception {
        Map<String, String> env = new HashMap<>(GOOD);
        env.put("PAYMENT_PROVIDER", "simulator");
        env.put("PAYMENT_SIMULATOR_ALLOWED", "true");
        Databases.recreate(PAYMENT_DB);
        Path log = Files.createTempFile("prod-profile", ".log");
        Process p = process("payment-service", PAYMENT_DB, env, log).start();
        try {
            // past the guard: the provider bean is made, which happens only after every BeanFactoryPostProcessor.
            // (The broker refuses the test's made-up password, so this process never takes a command.)
            await("payment-service past the prod guard with the simulator allowed").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> !p.isAlive() || Files.readString(log).contains("allowed by PAYMENT_SIMULATOR_ALLOWED=true"));
            String output = Files.readString(log);
            assertThat(p.isAlive()).as(output).isTrue();
            assertThat(output).doesNotContain("refusing to start")
                    .contains("SIMULATOR under the prod profile, allowed by PAYMENT_SIMULATOR_ALLOWED=true");
        } finally {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    record Result(int exitCode, String output) {
    }

    static Result start(Map<String, String> env) throws IOException, InterruptedException {
        return start("inventory-service", "inventory_st", env);
    }

    static ProcessBuilder process(String service, String db, Map<String, String> env, Path log) {
        Path root = Path.of(System.getProperty("shop.root", "..")).toAbsolutePath().normalize();
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-jar", root.resolve(service + "/target/" + service + ".jar").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("PAYMENT_PROVIDER");
        builder.environment().remove("PAYMENT_SIMULATOR_ALLOWED");
        builder.environment().putAll(env);
        builder.environment().put("SPRING_PROFILES_ACTIVE", "prod");
        builder.environment().put("SERVER_PORT", "0");
        builder.environment().put("SHOP_DB_NAME", db);
        // a vhost nobody uses: whatever starts here never meets the system under test's queues
        builder.environment().put("RABBITMQ_VHOST", "prod-profile-it");
        return builder;
    }

    static Result start(String service, String db, Map<String, String> env) throws IOException, InterruptedException {
        Path log = Files.createTempFile("prod-profile", ".log");
        Process p = process(service, db, env, log).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the service started although secrets were missing: " + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }
}
