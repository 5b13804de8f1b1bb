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
 * environment sets, and wires {@code ROUTES_DIR} into Camel's route loading and live reload.
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
            Map<String, Object> reload = new HashMap<>();
            String base = env.getProperty("camel.main.routes-include-pattern",
                    "classpath:routes/platform/*.yaml,classpath:routes/${shop.service-name}/*.yaml");
            reload.put("camel.main.routes-include-pattern", base + ",file:" + routesDir + "/*.yaml");
            reload.put("camel.main.routes-reload-enabled", "true");
            reload.put("camel.main.routes-reload-directory", routesDir);
            reload.put("camel.main.routes-reload-pattern", "*.yaml");
            reload.put("camel.main.routes-reload-remove-all-routes", "false");
            env.getPropertySources().addFirst(new MapPropertySource("shopRoutesDir", reload));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 20;
    }
}
