package shop.shipping.dlq;

/**
 * One message waiting in the shipping dead-letter queue, as {@code GET /admin/dlq/shipments} lists it.
 *
 * @param orderId     from the message body; null when the body is not a JSON object with an orderId
 * @param reason      {@code x-failure-reason}, or for messages RabbitMQ dead-lettered itself the
 *                    {@code x-death} reason ({@code rejected}, {@code expired}, {@code maxlen}, ...)
 * @param failedAt    ISO-8601 instant of the failure
 * @param attempts    deliveries spent before it was dead-lettered (for native dead letters: the x-death count)
 * @param messageId   the event's messageId
 * @param failedRoute the route that gave up on it, when known
 * @param replayedAt  when it was last replayed, if ever: it failed again after that
 */
public record DeadLetter(String orderId, String reason, String failedAt, Integer attempts, String messageId,
                         String failedRoute, String replayedAt) {
}
