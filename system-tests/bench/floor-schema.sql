-- The database floor's schema: the four services' tables in ONE database (shop_floor), one schema per service.
--
--   createdb -h 127.0.0.1 -U postgres shop_floor
--   psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -d shop_floor -f system-tests/bench/floor-schema.sql
--
-- Re-runnable: every schema is dropped and recreated. What it copies (same columns, types, defaults,
-- constraints, indexes; only the table names are schema-qualified):
--
--   every schema   platform/src/main/resources/db/platform/V0_1__platform_outbox_inbox.sql:4-19 (outbox, inbox) -
--                  Flyway runs db/platform for every service (platform/src/main/resources/shop-platform.properties:14),
--                  so each service database has both tables, even where the service never writes them
--   orders         order-service/src/main/resources/db/migration/V1__orders.sql:2-40
--   inventory      inventory-service/src/main/resources/db/migration/V1__products_and_reservations.sql:5-44
--                  + V2__reserve_refusals.sql:4-7
--   payments       payment-service/src/main/resources/db/migration/V1__payments.sql:5-44
--   shipping       shipping-service/src/main/resources/db/migration/V1__shipments.sql:3-11
--
-- Not copied: Flyway's flyway_schema_history. Differences from production: one database instead of four
-- (orders, inventory, payments, shipping) on the same server - same WAL, same commit path, but one
-- connection per pgbench client plays all four services.
--
-- Seed: products BENCH-001 .. BENCH-100, "Bench product <n>", 1999 USD cents, 100000000 available - the
-- catalogue system-tests/src/test/java/shop/bench/BenchSystem.java stocks, with stock that never runs out.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

DROP SCHEMA IF EXISTS orders CASCADE;
DROP SCHEMA IF EXISTS inventory CASCADE;
DROP SCHEMA IF EXISTS payments CASCADE;
DROP SCHEMA IF EXISTS shipping CASCADE;

CREATE SCHEMA orders;
CREATE SCHEMA inventory;
CREATE SCHEMA payments;
CREATE SCHEMA shipping;

-- ------------------------------------------------------------------------------------------------------------
-- platform V0_1 (outbox + inbox), once per service schema
-- ------------------------------------------------------------------------------------------------------------

CREATE TABLE orders.outbox (
    id           bigserial PRIMARY KEY,
    message_id   uuid        NOT NULL UNIQUE,
    type         text        NOT NULL,
    payload      jsonb       NOT NULL,
    traceparent  text,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE orders.inbox (
    consumer     text        NOT NULL,
    message_id   text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);

CREATE TABLE inventory.outbox (
    id           bigserial PRIMARY KEY,
    message_id   uuid        NOT NULL UNIQUE,
    type         text        NOT NULL,
    payload      jsonb       NOT NULL,
    traceparent  text,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE inventory.inbox (
    consumer     text        NOT NULL,
    message_id   text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);

CREATE TABLE payments.outbox (
    id           bigserial PRIMARY KEY,
    message_id   uuid        NOT NULL UNIQUE,
    type         text        NOT NULL,
    payload      jsonb       NOT NULL,
    traceparent  text,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE payments.inbox (
    consumer     text        NOT NULL,
    message_id   text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);

CREATE TABLE shipping.outbox (
    id           bigserial PRIMARY KEY,
    message_id   uuid        NOT NULL UNIQUE,
    type         text        NOT NULL,
    payload      jsonb       NOT NULL,
    traceparent  text,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE shipping.inbox (
    consumer     text        NOT NULL,
    message_id   text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);

-- ------------------------------------------------------------------------------------------------------------
-- order-service V1__orders.sql
-- ------------------------------------------------------------------------------------------------------------

CREATE TABLE orders.orders (
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

CREATE UNIQUE INDEX orders_user_idempotency_key ON orders.orders (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX orders_unfinished ON orders.orders (updated_at) WHERE status = 'PENDING' OR saga_step = 'COMPENSATING';
CREATE INDEX orders_status_created ON orders.orders (status, created_at);

CREATE TABLE orders.order_items (
    order_id   uuid    NOT NULL REFERENCES orders.orders (order_id),
    line_no    integer NOT NULL,
    product_id text    NOT NULL,
    quantity   integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    unit_price bigint,
    PRIMARY KEY (order_id, line_no)
);

-- ------------------------------------------------------------------------------------------------------------
-- inventory-service V1__products_and_reservations.sql + V2__reserve_refusals.sql
-- ------------------------------------------------------------------------------------------------------------

CREATE TABLE inventory.products (
    product_id  text        PRIMARY KEY CHECK (product_id ~ '^[A-Za-z0-9._-]{1,64}$'),
    name        text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    price_cents bigint      NOT NULL CHECK (price_cents BETWEEN 0 AND 100000000),
    currency    char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    available   integer     NOT NULL CHECK (available >= 0),
    reserved    integer     NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE inventory.reservations (
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

CREATE INDEX reservations_status_expires_at ON inventory.reservations (status, expires_at);

CREATE TABLE inventory.reservation_lines (
    reservation_id   uuid    NOT NULL REFERENCES inventory.reservations (reservation_id) ON DELETE CASCADE,
    line_no          integer NOT NULL CHECK (line_no >= 0),
    product_id       text    NOT NULL REFERENCES inventory.products (product_id),
    quantity         integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    unit_price_cents bigint  NOT NULL CHECK (unit_price_cents >= 0),
    PRIMARY KEY (reservation_id, product_id),
    UNIQUE (reservation_id, line_no)
);

ALTER TABLE inventory.reservations
    ADD COLUMN refusal            text CHECK (refusal IN ('OUT_OF_STOCK', 'UNKNOWN_PRODUCT', 'CURRENCY_MISMATCH')),
    ADD COLUMN refused_product_id text,
    ADD CONSTRAINT refusal_holds_nothing CHECK (refusal IS NULL OR status = 'RELEASED');

-- ------------------------------------------------------------------------------------------------------------
-- payment-service V1__payments.sql
-- ------------------------------------------------------------------------------------------------------------

CREATE TABLE payments.payments (
    payment_id      uuid        PRIMARY KEY,
    order_id        uuid        NOT NULL UNIQUE,
    user_id         text        NOT NULL,
    amount          bigint      NOT NULL CHECK (amount > 0),
    currency        varchar(3)  NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    payment_method  text        NOT NULL,
    idempotency_key text        NOT NULL UNIQUE,
    provider_ref    text,
    refund_ref      text,
    status          text        NOT NULL CHECK (status IN ('PENDING', 'COMPLETED', 'FAILED', 'REFUNDED')),
    decline_code    text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX payments_pending_idx ON payments.payments (created_at) WHERE status = 'PENDING';

CREATE TABLE payments.payment_cancellations (
    order_id   uuid        PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE payments.simulator_charges (
    idempotency_key text        PRIMARY KEY,
    charge_id       text        NOT NULL UNIQUE,
    amount          bigint      NOT NULL,
    currency        varchar(3)  NOT NULL,
    payment_method  text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('succeeded', 'declined', 'refunded')),
    decline_code    text,
    refund_id       text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    refunded_at     timestamptz
);

-- ------------------------------------------------------------------------------------------------------------
-- shipping-service V1__shipments.sql
-- ------------------------------------------------------------------------------------------------------------

CREATE TABLE shipping.shipments (
    shipment_id      uuid        PRIMARY KEY,
    order_id         uuid        NOT NULL UNIQUE,
    status           text        NOT NULL DEFAULT 'CREATED' CHECK (status IN ('CREATED')),
    tracking_number  text        NOT NULL,
    carrier          text        NOT NULL,
    address          jsonb       NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- ------------------------------------------------------------------------------------------------------------
-- seed: the bench catalogue (what BenchSystem.stockProducts puts in through PUT /products/{id}: the
-- INSERT of ProductStore.save, inventory-service/src/main/java/shop/inventory/product/ProductStore.java:112)
-- ------------------------------------------------------------------------------------------------------------

INSERT INTO inventory.products (product_id, name, price_cents, currency, available)
SELECT 'BENCH-' || lpad(n::text, 3, '0'), 'Bench product ' || n, 1999, 'USD', 100000000
FROM generate_series(1, 100) AS n;

-- planner statistics for the seeded catalogue (the rest is empty; the lookups are all by primary/unique key)
ANALYZE inventory.products;
