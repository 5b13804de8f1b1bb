-- A reserve that was refused (out of stock, unknown product, currency mismatch) is remembered as a RELEASED
-- row without lines that carries the refusal: a repeat of that reserve - a retried or duplicated message -
-- answers the same refusal instead of taking stock, possibly restocked meanwhile, for an order that failed.
ALTER TABLE reservations
    ADD COLUMN refusal            text CHECK (refusal IN ('OUT_OF_STOCK', 'UNKNOWN_PRODUCT', 'CURRENCY_MISMATCH')),
    ADD COLUMN refused_product_id text,
    ADD CONSTRAINT refusal_holds_nothing CHECK (refusal IS NULL OR status = 'RELEASED');
