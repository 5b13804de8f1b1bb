package shop.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** With SPRING_PROFILES_ACTIVE=prod a service refuses to start on unset or development secrets. */
class ProductionProfileIT {

    static final Map<String, String> GOOD = Map.of(
            "AUTH_JWT_SECRET", "a-production-secret-that-is-long-enough-0123456789",
            "OPERATOR_PASSWORD", "op-Very-Secret-1", "VIEWER_PASSWORD", "view-Very-Secret-2",
            "POSTGRES_PASSWORD", "pg-Very-Secret-3", "RABBITMQ_PASSWORD", "mq-Very-Secret-4");

    @Test
    void missingSecretStopsTheServiceWithAClearMessage() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(GOOD);
        env.remove("OPERATOR_PASSWORD");
        Result r = start(env);
        assertThat(r.exitCode).isNotZero();
        assertThat(r.output).contains("refusing to start with profile 'prod'").contains("OPERATOR_PASSWORD is not set");
        assertThat(r.output).doesNotContain("pg-Very-Secret-3");
    }

    @Test
    void developmentSecretStopsTheService() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(GOOD);
        env.put("AUTH_JWT_SECRET", "dev-only-jwt-secret-change-me-0123456789abcdef");
        env.put("RABBITMQ_PASSWORD", "guest");
        Result r = start(env);
        assertThat(r.exitCode).isNotZero();
        assertThat(r.output).contains("AUTH_JWT_SECRET is a development value").contains("RABBITMQ_PASSWORD is a development value");
    }

    record Result(int exitCode, String output) {
    }

    static Result start(Map<String, String> env) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("shop.root", "..")).toAbsolutePath().normalize();
        Path log = Files.createTempFile("prod-profile", ".log");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-jar", root.resolve("inventory-service/target/inventory-service.jar").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("SPRING_PROFILES_ACTIVE", "prod");
        builder.environment().put("SERVER_PORT", "0");
        builder.environment().put("SHOP_DB_NAME", "inventory_st");
        Process p = builder.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the service started although secrets were missing: " + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }
}
