package shop.contracts;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import org.junit.jupiter.api.Test;

import shop.contracts.inventory.ConfirmReservation;
import shop.contracts.inventory.GetReservation;
import shop.contracts.inventory.ReleaseReservation;
import shop.contracts.inventory.ReserveStock;
import shop.contracts.order.OrderConfirmed;
import shop.contracts.order.OrderFailed;
import shop.contracts.payment.ChargePayment;
import shop.contracts.payment.GetPayment;
import shop.contracts.payment.PaymentCompleted;
import shop.contracts.payment.PaymentRefunded;
import shop.contracts.payment.RefundPayment;
import shop.contracts.shipping.ShipmentCreated;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every record, as Jackson writes it, is what its JSON Schema says - the commands and events the broker tests never
 * see included (payment.status, payment.refunded, inventory.status are recovery paths) - and every schema has its
 * record. A field renamed on one side fails here.
 */
class RecordsMatchSchemasTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final UUID ORDER = UUID.randomUUID();

    static final List<Message> ONE_OF_EACH = List.of(
            ReserveStock.of(ORDER, List.of(new ReserveStock.Line("SKU-1", 2), new ReserveStock.Line("SKU-2", 1))),
            ConfirmReservation.of(ORDER),
            ReleaseReservation.of(ORDER),
            GetReservation.of(ORDER),
            ChargePayment.of(ORDER, "user-1", 3998, "USD", "pm_card_visa"),
            RefundPayment.of(ORDER),
            GetPayment.of(ORDER),
            OrderConfirmed.of(ORDER, "user-1", List.of(new OrderConfirmed.Item("SKU-1", 2, 1999L)), 3998, "USD",
                    new OrderConfirmed.Address("Ada", "1 Main St", null, "Springfield", "12345", "US")),
            OrderFailed.of(ORDER, "user-1", "OUT_OF_STOCK"),
            PaymentCompleted.of(UUID.randomUUID(), ORDER, 3998, "USD"),
            PaymentRefunded.of(UUID.randomUUID(), ORDER, 3998, "USD"),
            ShipmentCreated.of(UUID.randomUUID(), ORDER, "TRK-1"));

    @Test
    void everyRecordIsWhatItsSchemaSays() throws Exception {
        Map<String, Schema> schemas = MessageSchemas.load(Path.of("messages"));
        for (Message message : ONE_OF_EACH) {
            JsonNode written = JSON.valueToTree(message);
            Schema schema = schemas.get(message.type());
            assertThat(schema).as("schema of " + message.type()).isNotNull();
            List<Error> errors = schema.validate(written);
            assertThat(errors).as(message.type() + ": " + written).isEmpty();
            assertThat(written.get("schemaVersion").asInt()).isEqualTo(Message.SCHEMA_VERSION);
        }
    }

    @Test
    void everySchemaHasItsRecord() throws Exception {
        assertThat(MessageSchemas.load(Path.of("messages")).keySet())
                .containsExactlyInAnyOrderElementsOf(ONE_OF_EACH.stream().map(Message::type).toList());
    }

    @Test
    void aRecordReadsWhatItWrote() throws Exception {
        for (Message message : ONE_OF_EACH) {
            assertThat(JSON.readValue(JSON.writeValueAsBytes(message), message.getClass())).isEqualTo(message);
        }
    }
}
