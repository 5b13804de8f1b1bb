package shop.shipping.carrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import shop.contracts.order.OrderConfirmed;
import shop.platform.messaging.DeadLetters;
import shop.platform.messaging.PermanentMessageFailure;
import shop.shipping.support.CarrierStub;

/** The carrier client against a local carrier: which answers book, which are transient, which permanent. */
class HttpCarrierTest {

    private static final CarrierStub stub = new CarrierStub(2000);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final HttpCarrier carrier = new HttpCarrier(stub.url() + "/", Duration.ofMillis(300), new ObjectMapper(), meters);

    @BeforeEach
    void reset() {
        stub.reset();
    }

    @AfterAll
    static void stop() {
        stub.close();
    }

    static OrderConfirmed order(UUID orderId) {
        return new OrderConfirmed("m-1", "order.confirmed", "2025-01-01T00:00:00Z", 1, orderId, "u-1",
                List.of(new OrderConfirmed.Item("SKU-1", 3, 1000L)), 3000L, "USD",
                new OrderConfirmed.Address("Ada", "1 Main St", null, "London", "N1 9GU", "GB"));
    }

    @Test
    void booksWithTheContractsRequestAndReturnsTheTrackingNumber() {
        UUID orderId = UUID.randomUUID();

        String tracking = carrier.book(order(orderId), "00-abc-def-01");

        assertThat(tracking).isEqualTo(CarrierStub.trackingFor(orderId));
        CarrierStub.Call call = stub.calls().get(0);
        assertThat(call.idempotencyKey()).isEqualTo(orderId.toString());
        assertThat(call.traceparent()).isEqualTo("00-abc-def-01");
        assertThat(call.body().get("orderId").asText()).isEqualTo(orderId.toString());
        assertThat(call.body().get("address").get("line1").asText()).isEqualTo("1 Main St");
        assertThat(call.body().get("items").get(0).get("quantity").asInt()).isEqualTo(3);
        assertThat(carrier.name()).isEqualTo("127.0.0.1");
        assertThat(meters.get("shop.carrier.requests").tag("outcome", "booked").timer().count()).isEqualTo(1);
    }

    @Test
    void aServerErrorIsTransient() {
        stub.mode(CarrierStub.Mode.UNAVAILABLE_503);
        assertTransient(() -> carrier.book(order(UUID.randomUUID()), null), "HTTP 503");
    }

    @Test
    void aRateLimitIsTransient() {
        stub.mode(CarrierStub.Mode.TOO_MANY_429);
        assertTransient(() -> carrier.book(order(UUID.randomUUID()), null), "HTTP 429");
    }

    @Test
    void noAnswerWithinTheDeadlineIsTransient() {
        stub.mode(CarrierStub.Mode.SLOW);
        long started = System.nanoTime();
        assertTransient(() -> carrier.book(order(UUID.randomUUID()), null), "did not answer within 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void aRefusedConnectionIsTransient() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HttpCarrier nobody = new HttpCarrier("http://127.0.0.1:" + closedPort, Duration.ofMillis(300), new ObjectMapper(), meters);
        assertTransient(() -> nobody.book(order(UUID.randomUUID()), null), "127.0.0.1:" + closedPort);
    }

    @Test
    void aSuccessWithoutTrackingNumberIsTransient() {
        stub.mode(CarrierStub.Mode.NO_TRACKING);
        assertTransient(() -> carrier.book(order(UUID.randomUUID()), null), "without a usable trackingNumber");
    }

    @Test
    void aClientErrorIsPermanent() {
        stub.mode(CarrierStub.Mode.REJECT_400);
        UUID orderId = UUID.randomUUID();
        assertThatThrownBy(() -> carrier.book(order(orderId), null))
                .isInstanceOf(PermanentMessageFailure.class)
                .hasMessageContaining("HTTP 400")
                .hasMessageContaining("address not deliverable")
                .hasMessageContaining(orderId.toString())
                .satisfies(e -> assertThat(DeadLetters.isPermanent(e)).isTrue());
    }

    @Test
    void theSimulatorDerivesTheTrackingNumberFromTheOrder() {
        SimulatedCarrier simulated = new SimulatedCarrier();
        UUID orderId = UUID.fromString("3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f");
        assertThat(simulated.book(order(orderId), null)).isEqualTo("SIM-3F2A9C1E7B4D");
        assertThat(simulated.book(order(orderId), null)).isEqualTo(simulated.book(order(orderId), "other"));
        assertThat(simulated.name()).isEqualTo("simulated");
    }

    private static void assertTransient(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call)
                .isInstanceOf(CarrierUnavailableException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(DeadLetters.isPermanent(e)).as("retried by message-consumer").isFalse());
    }
}
