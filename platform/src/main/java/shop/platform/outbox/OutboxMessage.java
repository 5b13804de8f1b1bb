package shop.platform.outbox;

/** One claimed outbox row, as the relay route publishes it. */
public record OutboxMessage(long id, String messageId, String type, String payload, String traceparent) {
}
