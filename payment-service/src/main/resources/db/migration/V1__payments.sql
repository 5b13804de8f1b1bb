-- payment-service schema (docs/messaging.md, payment). The platform's V0_1 creates outbox and inbox.

-- One payment per order. The row is written PENDING, and committed, before the provider is called; the
-- provider is called with idempotency_key, so a retry after a crash or timeout never charges twice.
CREATE TABLE payments (
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

-- What the reconciler and operators look for: payments whose outcome is not settled yet.
CREATE INDEX payments_pending_idx ON payments (created_at) WHERE status = 'PENDING';

-- Tombstone written by payment.refund: the order was compensated, so a charge arriving later (late,
-- redelivered, or still in flight) is refused or, if the provider already took the money, refunded at once.
CREATE TABLE payment_cancellations (
    order_id   uuid        PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The built-in simulator's own ledger: it models the external provider (idempotent by key, lookup by key,
-- refunds) and is written in its own transactions, as a remote system's state would be. Unused with Stripe.
CREATE TABLE simulator_charges (
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
