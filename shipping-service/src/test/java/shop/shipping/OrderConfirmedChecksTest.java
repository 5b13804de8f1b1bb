package shop.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import shop.contracts.order.OrderConfirmed;
import shop.platform.messaging.DeadLetters;
import shop.platform.messaging.MessageChecks;
import shop.platform.messaging.PermanentMessageFailure;

/**
 * What shipping relies on before it books a carrier: an {@code order.confirmed} read as the contract's record
 * ({@link OrderConfirmed}, with the reader of route shipping-order-confirmed: unknown fields ignored) and checked as
 * that route checks it ({@code messageChecks.check(body, OrderConfirmed.TYPE)}).
 */
class OrderConfirmedChecksTest {

    private static final ValidatorFactory factory = Validation.buildDefaultValidatorFactory();
    private final MessageChecks checks = new MessageChecks(factory.getValidator());
    private final ObjectMapper json = new ObjectMapper();

    @AfterAll
    static void close() {
        factory.close();
    }

    private static OrderConfirmed valid() {
        return new OrderConfirmed("m-1", "order.confirmed", "2025-01-01T00:00:00Z", 1, UUID.randomUUID(), "u-1",
                List.of(new OrderConfirmed.Item("SKU-1", 1, 100L)), 100L, "USD",
                new OrderConfirmed.Address("Ada", "1 Main St", null, "London", "N1 9GU", "GB"));
    }

    private OrderConfirmed check(OrderConfirmed event) {
        return checks.check(event, OrderConfirmed.TYPE);
    }

    @Test
    void aCompleteEventPasses() {
        OrderConfirmed event = valid();
        assertThat(check(event)).isSameAs(event);
    }

    @Test
    void unknownFieldsAreIgnoredAndTheContractShapeReads() throws Exception {
        String body = """
                {"messageId":"m-9","type":"order.confirmed","occurredAt":"2025-01-01T00:00:00Z","schemaVersion":1,
                 "orderId":"3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f","userId":"u-1","newField":{"x":1},
                 "items":[{"productId":"SKU-001","quantity":2,"unitPrice":1999,"extra":true}],
                 "totalAmount":3998,"currency":"USD",
                 "shippingAddress":{"name":"Ada Lovelace","line1":"1 Main St","city":"London","postalCode":"N1 9GU","country":"GB","extra":1}}
                """;
        OrderConfirmed event = check(json.readValue(body, OrderConfirmed.class));
        assertThat(event.orderId()).isEqualTo(UUID.fromString("3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f"));
        assertThat(event.items().get(0).quantity()).isEqualTo(2);
        assertThat(event.shippingAddress().line2()).isNull();
    }

    @Test
    void everyMissingFieldIsNamedAndThePayloadIsAPermanentFailure() {
        OrderConfirmed event = new OrderConfirmed(" ", null, null, null, null, "", List.of(), null, null,
                new OrderConfirmed.Address("", null, null, "London", " ", "GB"));
        assertThatThrownBy(() -> check(event))
                .isInstanceOf(PermanentMessageFailure.class)
                .hasMessageContaining("messageId")
                .hasMessageContaining("orderId")
                .hasMessageContaining("userId")
                .hasMessageContaining("items")
                .hasMessageContaining("shippingAddress.name")
                .hasMessageContaining("shippingAddress.line1")
                .hasMessageContaining("shippingAddress.postalCode")
                .satisfies(e -> assertThat(DeadLetters.isPermanent(e)).isTrue());
    }

    @Test
    void anItemWithoutQuantityOrAnotherTypeOrVersionIsRefused() {
        OrderConfirmed ok = valid();
        OrderConfirmed badItem = new OrderConfirmed(ok.messageId(), ok.type(), ok.occurredAt(), 1, ok.orderId(), ok.userId(),
                List.of(new OrderConfirmed.Item("SKU-1", 0, null)), null, null, ok.shippingAddress());
        assertThatThrownBy(() -> check(badItem)).hasMessageContaining("items[0].quantity");
        OrderConfirmed otherType = new OrderConfirmed(ok.messageId(), "order.failed", null, 1, ok.orderId(), ok.userId(),
                ok.items(), null, null, ok.shippingAddress());
        assertThatThrownBy(() -> check(otherType)).hasMessageContaining("order.failed");
        OrderConfirmed v2 = new OrderConfirmed(ok.messageId(), ok.type(), null, 2, ok.orderId(), ok.userId(),
                ok.items(), null, null, ok.shippingAddress());
        assertThatThrownBy(() -> check(v2)).hasMessageContaining("schemaVersion 2");
        assertThatThrownBy(() -> check(null)).isInstanceOf(PermanentMessageFailure.class);
    }
}
