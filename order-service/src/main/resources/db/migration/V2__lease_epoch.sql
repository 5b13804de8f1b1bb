-- Fencing (docs/adr/0015, docs/saga.md): the epoch of the saga instance that may drive the order. The live saga
-- drives with the epoch it accepted the order with (0); every takeover by recovery increments it. Every write
-- that moves an order names the epoch it holds, so an instance that lost its lease changes nothing.
ALTER TABLE orders ADD COLUMN lease_epoch bigint NOT NULL DEFAULT 0;
