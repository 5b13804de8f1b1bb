package shop.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;

import shop.platform.messaging.Topology;

/** What must change nothing: expired requests, bad payloads, unknown command types. */
class CommandFailureTest extends InventoryTestSupport {

    private static final String ORDER = "6f1c2e56-5b8e-4f5e-9d57-0c8d2f3a1b11";
    /** 256 characters: one more than a product id may have. */
    private static final String TOO_LONG_PRODUCT_ID = "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";

    @Autowired
    DataSource dataSource;

    @BeforeEach
    void catalogue() {
        product("SKU-001", 1999, "USD", 10);
    }

    @Test
    void expiredDeadlineIsRefusedWithoutReserving() throws Exception {
        UUID orderId = UUID.randomUUID();
        byte[] body = json.writeValueAsBytes(Map.of("type", "inventory.reserve", "orderId", orderId.toString(),
                "items", List.of(Map.of("productId", "SKU-001", "quantity", 1))));

        Map<String, Object> reply = send(Topology.COMMANDS, "inventory.reserve", body, System.currentTimeMillis() - 1000);

        assertThat(reply).containsEntry("status", "REFUSED").containsEntry("reason", "EXPIRED_REQUEST");
        assertThat(stock("SKU-001")).containsExactly(10, 0);
        assertThat(count("reservations")).isZero();
    }

    @Test
    void expiredReleaseLeavesNoTombstone() throws Exception {
        UUID orderId = UUID.randomUUID();
        byte[] body = json.writeValueAsBytes(Map.of("type", "inventory.release", "orderId", orderId.toString()));

        assertThat(send(Topology.COMMANDS, "inventory.release", body, System.currentTimeMillis() - 1))
                .containsEntry("status", "REFUSED");
        assertThat(count("reservations")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"orderId\":\"" + ORDER + "\"}",
            "{\"orderId\":\"" + ORDER + "\",\"items\":[]}",
            "{\"orderId\":\"not-a-uuid\",\"items\":[{\"productId\":\"SKU-001\",\"quantity\":1}]}",
            "{\"items\":[{\"productId\":\"SKU-001\",\"quantity\":1}]}",
            "{\"orderId\":\"" + ORDER + "\",\"items\":[{\"productId\":\"SKU-001\",\"quantity\":0}]}",
            "{\"orderId\":\"" + ORDER + "\",\"items\":[{\"productId\":\"SKU-001\",\"quantity\":1001}]}",
            "{\"orderId\":\"" + ORDER + "\",\"items\":[{\"productId\":\"SKU-001\",\"quantity\":1.5}]}",
            "{\"orderId\":\"" + ORDER + "\",\"items\":[{\"productId\":\"SKU-001\"}]}",
            "{\"orderId\":\"" + ORDER + "\",\"items\":[{\"productId\":\"\",\"quantity\":1}]}",
            "{\"orderId\":\"" + ORDER + "\",\"items\":[{\"productId\":\"SKU-001\",\"quantity\":1},{\"productId\":\"SKU-001\",\"quantity\":2}]}",
            "{\"orderId\":\"" + ORDER + "\",\"items\":[null]}",
            "{\"orderId\":\"" + ORDER + "\",\"items\":{\"productId\":\"SKU-001\"}}",
            "{\"orderId\":\"" + ORDER + "\",\"items\":[{\"productId\":\"SKU-001\",\"quantity\":1}",
            "not json at all",
            "",
            "null",
            "[]",
            "{\"orderId\":12345,\"items\":[{\"productId\":\"SKU-001\",\"quantity\":1}]}",
            "{\"orderId\":\"" + ORDER + "\",\"items\":[{\"productId\":\"SKU-001\",\"quantity\":\"1\"}]}",
            "{\"orderId\":\"" + ORDER + "\",\"items\":[{\"productId\":\"" + TOO_LONG_PRODUCT_ID + "\",\"quantity\":1}]}",
            // the body names another command, or a schema version this service does not read
            "{\"type\":\"inventory.release\",\"orderId\":\"" + ORDER + "\",\"items\":[{\"productId\":\"SKU-001\",\"quantity\":1}]}",
            "{\"schemaVersion\":2,\"orderId\":\"" + ORDER + "\",\"items\":[{\"productId\":\"SKU-001\",\"quantity\":1}]}",
    })
    void invalidReserveIsAnErrorAndChangesNothing(String body) {
        Map<String, Object> reply = send(Topology.COMMANDS, "inventory.reserve", body.getBytes(StandardCharsets.UTF_8),
                System.currentTimeMillis() + 10_000);

        assertThat(reply).isEqualTo(Map.of("status", "ERROR", "reason", "INVALID_COMMAND"));
        assertThat(stock("SKU-001")).containsExactly(10, 0);
        assertThat(count("reservations")).isZero();
    }

    @Test
    void moreThanFiftyLinesIsInvalid() throws Exception {
        IntStream.range(0, 51).forEach(i -> product("P-" + i, 1, "USD", 5));
        List<Map<String, Object>> items = IntStream.range(0, 51)
                .mapToObj(i -> Map.<String, Object>of("productId", "P-" + i, "quantity", 1)).toList();

        Map<String, Object> reply = command("inventory.reserve", Map.of("orderId", UUID.randomUUID().toString(), "items", items));

        assertThat(reply).isEqualTo(Map.of("status", "ERROR", "reason", "INVALID_COMMAND"));
        assertThat(count("reservations")).isZero();
        assertThat(jdbc.queryForObject("SELECT sum(available) FROM products WHERE product_id LIKE 'P-%'", Integer.class))
                .isEqualTo(51 * 5);
    }

    @Test
    void fiftyLinesAreFine() {
        IntStream.range(0, 50).forEach(i -> product("P-" + i, 1, "USD", 5));
        List<Map<String, Object>> items = IntStream.range(0, 50)
                .mapToObj(i -> Map.<String, Object>of("productId", "P-" + i, "quantity", 5)).toList();

        assertThat(command("inventory.reserve", Map.of("orderId", UUID.randomUUID().toString(), "items", items)))
                .containsEntry("status", "RESERVED").containsEntry("totalAmount", 250);
        assertThat(jdbc.queryForObject("SELECT sum(available) FROM products WHERE product_id LIKE 'P-%'", Integer.class)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"inventory.release", "inventory.confirm", "inventory.status"})
    void orderCommandsWithoutAValidOrderIdAreErrors(String type) {
        byte[] body = "{\"orderId\":\"12345\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(send(Topology.COMMANDS, type, body, System.currentTimeMillis() + 10_000))
                .isEqualTo(Map.of("status", "ERROR", "reason", "INVALID_COMMAND"));
        assertThat(count("reservations")).isZero();
    }

    /** The command type is the routing key: a message sent straight to the queue is no command, whatever its body says. */
    @ParameterizedTest
    @ValueSource(strings = {"inventory.restock", "inventory.reserve"})
    void commandSentStraightToTheQueueIsAnError(String type) {
        byte[] body = ("{\"type\":\"" + type + "\",\"orderId\":\"" + ORDER + "\",\"items\":[{\"productId\":\"SKU-001\",\"quantity\":1}]}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(send("", "inventory.commands", body, System.currentTimeMillis() + 10_000))
                .isEqualTo(Map.of("status", "ERROR", "reason", "INVALID_COMMAND"));
        assertThat(stock("SKU-001")).containsExactly(10, 0);
        assertThat(count("reservations")).isZero();
    }

    @Test
    void productLockedTooLongIsAParticipantErrorAndChangesNothing() throws Exception {
        UUID orderId = UUID.randomUUID();
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (Statement lock = other.createStatement()) {
                lock.execute("SELECT * FROM products WHERE product_id = 'SKU-001' FOR UPDATE");
            }
            assertThat(reserve(orderId, "SKU-001", 1)).isEqualTo(Map.of("status", "ERROR", "reason", "PARTICIPANT_ERROR"));
            other.rollback();
        }
        assertThat(stock("SKU-001")).containsExactly(10, 0);
        assertThat(count("reservations")).isZero();
        assertThat(reserve(orderId, "SKU-001", 1)).as("the same order succeeds once the lock is gone")
                .containsEntry("status", "RESERVED");
    }

    @Test
    void theServiceKeepsAnsweringAfterBadCommands() {
        send(Topology.COMMANDS, "inventory.reserve", "{".getBytes(StandardCharsets.UTF_8), System.currentTimeMillis() + 10_000);
        assertThat(reserve(UUID.randomUUID(), "SKU-001", 1)).containsEntry("status", "RESERVED");
    }
}
