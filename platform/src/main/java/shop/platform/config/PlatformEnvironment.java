package shop.platform.config;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Adds the platform defaults ({@code shop-platform.properties}) below everything a service or the
 * environment sets, and hands {@code ROUTES_DIR} to the platform's route folder watcher ({@code shop.routes.dir}).
 */
public class PlatformEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String DEFAULTS = "shop-platform.properties";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        try {
            env.getPropertySources().addLast(new ResourcePropertySource("shopPlatformDefaults", new ClassPathResource(DEFAULTS)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULTS, e);
        }
        String otlp = env.getProperty("OTEL_EXPORTER_OTLP_ENDPOINT");
        if (otlp != null && !otlp.isBlank()) {
            Map<String, Object> tracing = new HashMap<>();
            String base = otlp.endsWith("/") ? otlp.substring(0, otlp.length() - 1) : otlp;
            tracing.put("management.otlp.tracing.export.enabled", "true");
            tracing.put("management.otlp.tracing.endpoint", base.endsWith("/v1/traces") ? base : base + "/v1/traces");
            env.getPropertySources().addFirst(new MapPropertySource("shopTracingExport", tracing));
        }
        String routesDir = env.getProperty("ROUTES_DIR");
        if (routesDir != null && !routesDir.isBlank()) {
            // ROUTES_DIR is loaded and watched by the platform (shop.platform.routes.RoutesDirectory), which checks a
            // changed file before it swaps it in; not by Camel's own reload, nor through camel.main.routes-include-pattern
            // (the jar's routes keep loading that way): Camel's reload removes a route before it knows the new version
            // can be created (CAMEL-NOTES, YAML DSL).
            env.getPropertySources().addFirst(new MapPropertySource("shopRoutesDir", Map.of("shop.routes.dir", routesDir.strip())));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 20;
    }
}
