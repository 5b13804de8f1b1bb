package shop.platform.messaging;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Builds the JSON shape every message has: messageId, type, occurredAt, schemaVersion, then its data. */
public final class Envelope {

    public static final int SCHEMA_VERSION = 1;

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
