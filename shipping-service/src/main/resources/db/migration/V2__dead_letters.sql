-- The message hospital (docs/adr/0014): every dead letter of shipping.order-confirmed, taken off its dead-letter
-- queue into this table in the transaction that acknowledges it. Listing is a query, so it neither consumes nor
-- counts deliveries, on classic and quorum queues alike; a replay marks rows in one transaction and route
-- shipments-dlq-republish publishes them back (this table is their outbox).
CREATE TABLE dead_letters (
    id               bigserial   PRIMARY KEY,
    -- the dead letter's AMQP message-id (else the body's messageId, else a hash of the body): one row per message
    message_id       text        NOT NULL UNIQUE,
    queue            text        NOT NULL,
    body             bytea       NOT NULL,
    -- AMQP properties kept for the replay: contentType, contentEncoding, messageId, type, correlationId, ...
    properties       jsonb       NOT NULL,
    -- the message's own headers (traceparent, ...), without the failure headers and x-death
    headers          jsonb       NOT NULL,
    order_id         text,
    reason           text        NOT NULL,
    failed_route     text,
    attempts         integer,
    failed_at        timestamptz NOT NULL,
    received_at      timestamptz NOT NULL DEFAULT now(),
    -- how often it was replayed; the replay carries it (x-shop-replay) so that its next failure is told from a
    -- late duplicate of an earlier one
    replays          integer     NOT NULL DEFAULT 0,
    -- set by a replay, cleared when the replayed message fails again: NULL = waiting
    replayed_at      timestamptz,
    last_replayed_at timestamptz,
    -- set when the replay was published and confirmed (NULL with replayed_at set: to be published)
    published_at     timestamptz
);

CREATE INDEX dead_letters_waiting ON dead_letters (id) WHERE replayed_at IS NULL;
CREATE INDEX dead_letters_to_publish ON dead_letters (id) WHERE replayed_at IS NOT NULL AND published_at IS NULL;
