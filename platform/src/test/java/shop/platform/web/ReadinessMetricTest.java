package shop.platform.web;

import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** shop_ready follows what /ready would answer; a check that throws counts as not ready. */
class ReadinessMetricTest {

    @Test
    void theGaugeIsOneWhileReadyAndZeroWhileNotOrWhenTheCheckFails() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AtomicBoolean ready = new AtomicBoolean(true);
        AtomicBoolean fail = new AtomicBoolean();
        try (ReadinessMetric metric = new ReadinessMetric(() -> {
            if (fail.get()) {
                throw new IllegalStateException("database gone");
            }
            return ready.get();
        }, meters, 60_000)) {
            assertThat(metric.refresh()).isEqualTo(1);
            assertThat(meters.get("shop.ready").gauge().value()).isEqualTo(1);
            ready.set(false);
            assertThat(metric.refresh()).isZero();
            assertThat(meters.get("shop.ready").gauge().value()).isZero();
            ready.set(true);
            fail.set(true);
            assertThat(metric.refresh()).isZero();
        }
    }
}
