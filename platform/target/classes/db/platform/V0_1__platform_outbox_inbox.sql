-- Platform tables every service has in its own database (docs/messaging.md).

-- Transactional outbox: written in the transaction of the state change, published and deleted by the relay.
CREATE TABLE outbox (
    id           bigserial PRIMARY KEY,
    message_id   uuid        NOT NULL UNIQUE,
    type         text        NOT NULL,
    payload      jsonb       NOT NULL,
    traceparent  text,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Inbox: one row per processed message and consumer, written in the transaction of the effect.
CREATE TABLE inbox (
    consumer     text        NOT NULL,
    message_id   text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);
