-- inventory-service schema (docs/messaging.md, "inventory"). The platform's V0_1 creates outbox and inbox.

-- The catalogue with its stock. "available" is free stock; "reserved" is stock held by reservations that
-- are not confirmed yet (HELD). A confirmed reservation's units are sold: they leave "reserved".
CREATE TABLE products (
    product_id  text        PRIMARY KEY CHECK (product_id ~ '^[A-Za-z0-9._-]{1,64}$'),
    name        text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    price_cents bigint      NOT NULL CHECK (price_cents BETWEEN 0 AND 100000000),
    currency    char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    available   integer     NOT NULL CHECK (available >= 0),
    reserved    integer     NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One reservation per order (order_id UNIQUE: the key that makes reserve, release and confirm idempotent).
-- A release for an order with no reservation inserts a RELEASED tombstone without lines, so that a late
-- reserve for that order is refused instead of holding stock nobody will ever release.
CREATE TABLE reservations (
    reservation_id uuid        PRIMARY KEY,
    order_id       uuid        NOT NULL UNIQUE,
    status         text        NOT NULL CHECK (status IN ('HELD', 'CONFIRMED', 'RELEASED', 'EXPIRED')),
    currency       char(3),
    total_cents    bigint      CHECK (total_cents >= 0),
    expires_at     timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT held_reservation_expires CHECK (status <> 'HELD' OR expires_at IS NOT NULL)
);

-- The expiry worker's query (status = 'HELD' AND expires_at <= now() ORDER BY expires_at) and the
-- reservations-held gauge both read this index.
CREATE INDEX reservations_status_expires_at ON reservations (status, expires_at);

-- What a reservation holds, at the unit price of the product when it was reserved (the price charged).
CREATE TABLE reservation_lines (
    reservation_id   uuid    NOT NULL REFERENCES reservations (reservation_id) ON DELETE CASCADE,
    line_no          integer NOT NULL CHECK (line_no >= 0),
    product_id       text    NOT NULL REFERENCES products (product_id),
    quantity         integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    unit_price_cents bigint  NOT NULL CHECK (unit_price_cents >= 0),
    PRIMARY KEY (reservation_id, product_id),
    UNIQUE (reservation_id, line_no)
);
