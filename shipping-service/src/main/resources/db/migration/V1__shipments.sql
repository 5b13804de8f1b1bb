-- One shipment per confirmed order (CONTRACT.md, Shipping). The UNIQUE order_id is the last guard
-- against a second shipment: redelivery, replay or a second event for the same order never adds one.
CREATE TABLE shipments (
    shipment_id      uuid        PRIMARY KEY,
    order_id         uuid        NOT NULL UNIQUE,
    status           text        NOT NULL DEFAULT 'CREATED' CHECK (status IN ('CREATED')),
    tracking_number  text        NOT NULL,
    carrier          text        NOT NULL,
    address          jsonb       NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
