-- The order and its saga state, in one row: written before each saga step is attempted (docs/saga.md).
CREATE TABLE orders (
    order_id                 uuid PRIMARY KEY,
    user_id                  text        NOT NULL,
    idempotency_key          text,
    released_idempotency_key text,
    request_hash             text        NOT NULL,
    status                   text        NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'FAILED')),
    reason                   text,
    saga_step                text        NOT NULL CHECK (saga_step IN ('NEW', 'RESERVING', 'CHARGING', 'CONFIRMING', 'DONE', 'COMPENSATING', 'COMPENSATED')),
    reserve_started          boolean     NOT NULL DEFAULT false,
    charge_started           boolean     NOT NULL DEFAULT false,
    released                 boolean     NOT NULL DEFAULT false,
    refunded                 boolean     NOT NULL DEFAULT false,
    payment_method           text        NOT NULL,
    shipping_address         jsonb       NOT NULL,
    total_amount             bigint,
    currency                 char(3),
    payment_id               uuid,
    reservation_id           uuid,
    recovery_attempts        integer     NOT NULL DEFAULT 0,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now()
);

-- One order per user and Idempotency-Key; a key is released (moved aside) when its order failed because
-- a dependency was unavailable, so that the client's retry can place the order.
CREATE UNIQUE INDEX orders_user_idempotency_key ON orders (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
-- What the recovery route scans: sagas not finished.
CREATE INDEX orders_unfinished ON orders (updated_at) WHERE status = 'PENDING' OR saga_step = 'COMPENSATING';
CREATE INDEX orders_status_created ON orders (status, created_at);

CREATE TABLE order_items (
    order_id   uuid    NOT NULL REFERENCES orders (order_id),
    line_no    integer NOT NULL,
    product_id text    NOT NULL,
    quantity   integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    unit_price bigint,
    PRIMARY KEY (order_id, line_no)
);
