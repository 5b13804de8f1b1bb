package shop.inventory.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;


/** RESERVATION_TTL accepts Spring's duration syntax; nonsense fails at startup, not later. */
class InventoryPropertiesTest {

    private static InventoryProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("shop.inventory", InventoryProperties.class);
    }

    @ParameterizedTest
    @CsvSource({"15m,PT15M", "PT15M,PT15M", "30s,PT30S", "900,PT15M", "2h,PT2H", "1500ms,PT1.5S"})
    void ttlSyntax(String value, String expected) {
        assertThat(bind(Map.of("shop.inventory.reservation-ttl", value)).reservationTtl()).isEqualTo(Duration.parse(expected));
    }

    @Test
    void defaults() {
        InventoryProperties properties = bind(Map.of());
        assertThat(properties.reservationTtl()).isEqualTo(Duration.ofMinutes(15));
        assertThat(properties.commandConsumers()).isEqualTo(4);
        assertThat(properties.expiry().interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.expiry().batchSize()).isEqualTo(100);
        assertThat(properties.expiry().enabled()).isTrue();
    }

    @Test
    void zeroOrNegativeTtlIsRefused() {
        assertThatThrownBy(() -> bind(Map.of("shop.inventory.reservation-ttl", "0s"))).hasRootCauseMessage(
                "shop.inventory.reservation-ttl (RESERVATION_TTL) must be positive, was PT0S");
        assertThatThrownBy(() -> bind(Map.of("shop.inventory.reservation-ttl", "-5m"))).isNotNull();
        assertThatThrownBy(() -> bind(Map.of("shop.inventory.reservation-ttl", "soon"))).isNotNull();
    }
}
