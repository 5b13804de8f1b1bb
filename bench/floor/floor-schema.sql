-- The database floor's schema: the four services' tables in ONE database (shop_floor), one schema per service,
-- created by the services' own Flyway migrations (included below, not copied: the floor cannot drift from them).
--
--   createdb -h 127.0.0.1 -U postgres shop_floor
--   psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -d shop_floor -f bench/floor/floor-schema.sql
--
-- Every service database gets the platform's db/platform migrations and its own db/migration ones
-- (platform/src/main/resources/shop-platform.properties, spring.flyway.locations); here each runs with the
-- search_path set to the service's schema. A new migration file must be added to this list; FloorScriptIT fails
-- until it is. Re-runnable: every schema is dropped and recreated.
--
-- Not created: Flyway's flyway_schema_history. Differences from production: one database instead of four
-- (orders, inventory, payments, shipping) on the same server - same WAL, same commit path, but one connection
-- per pgbench client plays all four services.
--
-- Seed: products BENCH-001 .. BENCH-100, "Bench product <n>", 1999 USD cents, 100000000 available - the
-- catalogue bench/src/main/java/shop/bench/BenchSystem.java stocks, with stock that never runs out.

SET client_min_messages = warning;

DROP SCHEMA IF EXISTS orders CASCADE;
DROP SCHEMA IF EXISTS inventory CASCADE;
DROP SCHEMA IF EXISTS payments CASCADE;
DROP SCHEMA IF EXISTS shipping CASCADE;

CREATE SCHEMA orders;
SET search_path TO orders;
\ir ../../platform/src/main/resources/db/platform/V0_1__platform_outbox_inbox.sql
\ir ../../order-service/src/main/resources/db/migration/V1__orders.sql
\ir ../../order-service/src/main/resources/db/migration/V2__lease_epoch.sql

CREATE SCHEMA inventory;
SET search_path TO inventory;
\ir ../../platform/src/main/resources/db/platform/V0_1__platform_outbox_inbox.sql
\ir ../../inventory-service/src/main/resources/db/migration/V1__products_and_reservations.sql
\ir ../../inventory-service/src/main/resources/db/migration/V2__reserve_refusals.sql

CREATE SCHEMA payments;
SET search_path TO payments;
\ir ../../platform/src/main/resources/db/platform/V0_1__platform_outbox_inbox.sql
\ir ../../payment-service/src/main/resources/db/migration/V1__payments.sql

CREATE SCHEMA shipping;
SET search_path TO shipping;
\ir ../../platform/src/main/resources/db/platform/V0_1__platform_outbox_inbox.sql
\ir ../../shipping-service/src/main/resources/db/migration/V1__shipments.sql
\ir ../../shipping-service/src/main/resources/db/migration/V2__dead_letters.sql

RESET search_path;

-- seed: the bench catalogue (what BenchSystem.stockProducts puts in through PUT /products/{id}: the INSERT of
-- ProductStore.save, inventory-service/src/main/java/shop/inventory/product/ProductStore.java)
INSERT INTO inventory.products (product_id, name, price_cents, currency, available)
SELECT 'BENCH-' || lpad(n::text, 3, '0'), 'Bench product ' || n, 1999, 'USD', 100000000
FROM generate_series(1, 100) AS n;

-- planner statistics for the seeded catalogue (the rest is empty; the lookups are all by primary/unique key)
ANALYZE inventory.products;
