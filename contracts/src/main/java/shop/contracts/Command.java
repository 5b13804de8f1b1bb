package shop.contracts;

import java.util.UUID;

/**
 * A request-reply message of the order saga on {@code shop.commands}: the routing key is its {@link #type()}, the
 * participant answers with an {@code R} on the caller's reply-to. Every command is about one order and is
 * idempotent by it.
 */
public interface Command<R extends Reply> extends Message {

    UUID orderId();

    /** The type the participant's answer is read as (an error or a refusal reads as it too: {@link Reply}). */
    Class<R> replyType();
}
