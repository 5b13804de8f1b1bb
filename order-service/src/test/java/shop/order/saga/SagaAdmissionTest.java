package shop.order.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import shop.platform.web.ApiException;

/** One saga place, a short wait: what a burst meets in front of the saga. */
class SagaAdmissionTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SagaAdmission admission = new SagaAdmission(1, 300, 5, meters, new OrderMetrics(meters));
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch finish = new CountDownLatch(1);

    @AfterEach
    void releaseTheHolder() {
        finish.countDown();
    }

    /** Takes the only place and keeps it until {@link #finish} opens. */
    private CompletableFuture<String> holdThePlace() throws InterruptedException {
        CompletableFuture<String> holder = CompletableFuture.supplyAsync(() -> admission.admit(() -> {
            running.countDown();
            await(finish);
            return "first";
        }, Optional::empty));
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        return holder;
    }

    @Test
    void aRequestBeyondThePlacesIsTurnedAwayWith503BeforeAnythingIsWritten() throws Exception {
        holdThePlace();
        AtomicBoolean placed = new AtomicBoolean();

        assertThatThrownBy(() -> admission.admit(() -> placed.getAndSet(true), Optional::empty))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(e.headers().getFirst("Retry-After")).isEqualTo("5");
                    assertThat(e.body()).containsEntry("status", "SERVICE_UNAVAILABLE").containsEntry("retry_after", 5);
                });
        assertThat(placed).as("the order was never written").isFalse();
        assertThat(meters.get("shop.orders").tag("outcome", "unavailable").counter().count()).isEqualTo(1);
        assertThat(meters.get("resilience4j.bulkhead.available.concurrent.calls").tag("name", "saga").gauge().value()).isZero();
    }

    @Test
    void aRequestThatFindsAPlaceWithinTheWaitRuns() throws Exception {
        CompletableFuture<String> holder = holdThePlace();
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> admission.admit(() -> "second", Optional::empty));

        finish.countDown();

        assertThat(holder.get(5, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo("second");
        assertThat(meters.get("shop.orders").tag("outcome", "unavailable").counter().count()).isZero();
    }

    @Test
    void aPlaceIsGivenBackWhenTheSagaThrows() {
        assertThatThrownBy(() -> admission.admit(() -> {
            throw new IllegalStateException("broken");
        }, Optional::empty)).hasMessage("broken");

        assertThat(admission.admit(() -> "next", Optional::empty)).isEqualTo("next");
    }

    @Test
    void aRepeatedRequestIsAnsweredFromItsFirstEvenWhenNoPlaceFreesUp() throws Exception {
        holdThePlace();
        AtomicBoolean placed = new AtomicBoolean();

        String answer = admission.admit(() -> {
            placed.set(true);
            return "a second order";
        }, () -> Optional.of("the first request's order"));

        assertThat(answer).isEqualTo("the first request's order");
        assertThat(placed).as("nothing placed again").isFalse();
        assertThat(meters.get("shop.orders").tag("outcome", "unavailable").counter().count()).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
