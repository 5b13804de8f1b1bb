package shop.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * Every message on {@code shop.commands} and {@code shop.events}: the envelope fields - {@code messageId},
 * {@code type}, {@code occurredAt}, {@code schemaVersion} - beside its data, all at the top level of one JSON
 * object (CONTRACT.md, Events; contracts/messages/envelope.schema.json). Readers ignore fields they do not know:
 * a producer may add one without a new schema version.
 */
public interface Message {

    /** The schema version of every message this code writes and reads. */
    int SCHEMA_VERSION = 1;

    String messageId();

    String type();

    String occurredAt();

    Integer schemaVersion();

    /** A new message id: the key consumers deduplicate by. */
    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** The time a message is created, as the envelope carries it (ISO-8601, UTC). */
    static String now() {
        return Instant.now().toString();
    }
}
