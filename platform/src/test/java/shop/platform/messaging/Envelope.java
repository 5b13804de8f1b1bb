package shop.platform.messaging;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * For tests that speak the wire, malformed messages included: the JSON shape every message has (messageId, type,
 * occurredAt, schemaVersion, then its data) as a map. The services send typed records ({@code shop.contracts}).
 */
public final class Envelope {

    public static final int SCHEMA_VERSION = shop.contracts.Message.SCHEMA_VERSION;

    public static Map<String, Object> of(String type, Map<String, ?> data) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("messageId", UUID.randomUUID().toString());
        message.put("type", type);
        message.put("occurredAt", Instant.now().toString());
        message.put("schemaVersion", SCHEMA_VERSION);
        message.putAll(data);
        return message;
    }

    private Envelope() {
    }
}
