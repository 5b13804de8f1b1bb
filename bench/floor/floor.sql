-- The database floor: ONE successful order's SQL, as the four services run it, as one pgbench transaction.
--
--   pgbench -h 127.0.0.1 -U postgres -n -M prepared -c 16 -j 2 -T 20 -r -f bench/floor/floor.sql shop_floor
--
-- on a database loaded with floor-schema.sql. pgbench's tps is orders per second that PostgreSQL alone can
-- carry: no JVM, no HTTP, no RabbitMQ, no Camel - only the statements, the transactions and their commits.
--
-- The order is what the bench's load generator places (bench/src/main/java/shop/bench/LoadGenerator.java):
-- user bench-customer-<connection>, a fresh Idempotency-Key, one line of 1 x a random BENCH-nnn product,
-- pm_card_visa, the Ada Lovelace address; default configuration (payment provider "simulator", simulated carrier,
-- outbox batch size 100, reservation TTL 15 min).
--
-- Transactions, in saga order (paths below are relative to the repository root; j = src/main/java). A statement
-- outside BEGIN/COMMIT runs on its own (autocommit), as in the service: one statement, one transaction.
--
--  T1  orders    accept: ONE statement, INSERT orders ON CONFLICT DO NOTHING in a CTE, INSERT order_items from it
--                order-service/j/shop/order/api/OrderController.java:102 -> domain/OrderStore.java:65-84 (SQL :71)
--  T2  orders    beginReserve: ONE fenced statement, UPDATE orders ... RETURNING, the lines joined to it
--                saga/OrderSaga.java:62 -> OrderStore.java:123 -> :234 (moveWithLines), :257 (fenced)
--  T3  inventory inventory.reserve (no inbox: idempotent by reservations.order_id UNIQUE,
--                routes/inventory-service/inventory-commands.yaml:63-67)
--                inventory-service/j/shop/inventory/messaging/ReserveHandler.java:52-102:
--                findByOrder SELECT (:56 -> ReservationStore.java:42), lockInOrder SELECT ... FOR UPDATE of the product
--                rows (:62 -> product/ProductStore.java:50), insertHeld INSERT ... RETURNING + lines
--                (:91 -> ReservationStore.java:65, :77), hold UPDATE products (:97 -> ProductStore.java:84)
--  T4  orders    recordReservation: ONE fenced statement, UPDATE orders ... RETURNING and UPDATE order_items (prices) in a CTE
--                OrderSaga.java:73 -> OrderStore.java:131-141
--  T5  payments  charge tx1, the intent: isCancelled, INSERT payments PENDING, lock
--                payment-service/j/shop/payment/messaging/ChargeHandler.java:68-91 -> payment/PaymentStore.java:81, :36, :48
--  T6  payments  the simulator provider's own transaction: INSERT simulator_charges, SELECT it
--                ChargeHandler.java:99 -> provider/SimulatorPaymentProvider.java:57-79 (:62, :111)
--  T7  payments  charge tx2, the completion: lock, isCancelled, markCompleted ... RETURNING (the reply's payment, no
--                re-read), payment.completed in the outbox
--                ChargeHandler.java:114 -> payment/PaymentSettlement.java:61-110 -> PaymentStore.java:48, :83, :62;
--                platform/j/shop/platform/outbox/Outbox.java:36
--  T8  payments  outbox relay: claim ... FOR UPDATE SKIP LOCKED, delete (asynchronous in the services; see below)
--  T9  orders    recordPayment: ONE fenced statement, UPDATE orders ... RETURNING (saga_step CONFIRMING)
--                OrderSaga.java:101 -> OrderStore.java:144-146
--  T10 inventory inventory.confirm: lockByOrder, lines, lockInOrder, sellHeld, changeStatus
--                messaging/ConfirmHandler.java:42-72 -> ReservationStore.java:49, :54, ProductStore.java:50, :84,
--                ReservationStore.java:106
--  T11 orders    confirm: fenced UPDATE orders CONFIRMED ... RETURNING with the lines joined, order.confirmed in the
--                outbox (one transaction); the HTTP answer is built from the row it returned (no read after it)
--                OrderSaga.java:117 -> OrderStore.java:149-157 (:151, :152); api/OrderController.java:112
--  T12 orders    outbox relay (publishes order.confirmed)
--  T13 shipping  create-shipment: inbox row, existsFor, INSERT shipments, shipment.created in the outbox
--                routes/shipping-service/order-confirmed.yaml:46-91 (transacted :60, idempotentConsumer eager :62-67)
--                -> platform/j/shop/platform/inbox/InboxRepository.java:32,
--                shipping-service/j/shop/shipping/shipment/Shipments.java:59, :82, :92
--  T14 shipping  outbox relay
--
--  Outbox relay (T8, T12, T14): routes/platform/outbox-relay.yaml:7-52, one transaction per poll:
--  OutboxStore.claimBatch (platform/j/shop/platform/outbox/OutboxStore.java:26, LIMIT shop.outbox.batch-size = 100)
--  then, when the batch is not empty, markPublished: DELETE ... WHERE id = ANY (OutboxStore.java:34).
--
-- Simplifications (each one noted where it is made):
--  * One connection plays all four services, strictly one step after the other; there is no think time where the
--    services wait for RabbitMQ, and the relays run once per order right after their event was written instead of
--    every 200 ms (OUTBOX_POLL_INTERVAL_MS) over whatever accumulated. With 16 clients a claim usually also sweeps
--    up other clients' rows (SKIP LOCKED skips the ones a concurrent relay holds), so batches are small: a relay
--    here costs more per order than a busy service's relay, whose batches fill up.
--  * The claim returns one aggregate row (count, ids, bytes) instead of the rows themselves: pgbench can only
--    keep single-row results. The rows are still locked and their payload::text is still computed.
--  * pgbench sends BEGIN as its own round trip; pgjdbc (autocommit off) sends it with the first statement.
--  * Values the Java code makes up locally (order id, message ids, shipment id, traceparent, tracking number)
--    come from a RETURNING clause that T1's statement has only here; reservation_id from T3's INSERT ... RETURNING
--    and payment_id from T5's lock, as in the services.
--  * The fenced writes' RETURNING lists all the columns the service maps; pgbench keeps none of them. JSON payloads are format()ted server side and cast to jsonb (the
--    services bind the JSON text and cast it: the jsonb parse is the same).
--  * Literals where the services bind constants (status names, 'pm_card_visa', the address JSON, request hash).
--  * pgbench variable syntax: no ':' directly followed by a letter may appear inside SQL text (JSON "k": null).

\set product random(1, 100)
\set qty 1
\set ttl_secs 900
\set relay_batch 100

-- ============================================================================================================
-- T1 orders: POST /orders accepts the order (one statement, autocommit)
-- ============================================================================================================
/* T1 accept */ WITH placed AS (
  INSERT INTO orders.orders (order_id, user_id, idempotency_key, request_hash, status, saga_step, payment_method, shipping_address)
  VALUES (gen_random_uuid(), 'bench-customer-' || :client_id::text, gen_random_uuid()::text,
          '5f1d0c3c8b4ee5f3a62cde0e5d3c3fb4a9b2e8a3a6cf3e1d9a0b7c6d5e4f3a2b', 'PENDING', 'NEW', 'pm_card_visa',
          '{"name": "Ada Lovelace", "line1": "1 Main St", "line2": null, "city": "London", "postalCode": "N1 9GU", "country": "GB"}'::jsonb)
  ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
  RETURNING order_id, user_id)
INSERT INTO orders.order_items (order_id, line_no, product_id, quantity)
SELECT placed.order_id, line.n - 1, line.product_id, line.quantity
FROM placed, unnest(ARRAY['BENCH-' || lpad(:product::text, 3, '0')], ARRAY[:qty]::int[]) WITH ORDINALITY AS line (product_id, quantity, n)
RETURNING order_id,
          'bench-customer-' || :client_id::text AS user_id,
          product_id,
          gen_random_uuid() AS payment_message_id,
          gen_random_uuid() AS confirmed_message_id,
          gen_random_uuid() AS shipment_id,
          gen_random_uuid() AS shipment_message_id,
          'SIM-' || upper(left(replace(order_id::text, '-', ''), 12)) AS tracking_number,
          '00-' || replace(gen_random_uuid()::text, '-', '') || '-' || left(replace(gen_random_uuid()::text, '-', ''), 16) || '-01' AS traceparent \gset

-- ============================================================================================================
-- step 1, reserve stock
-- ============================================================================================================
/* T2 beginReserve */ WITH moved AS (UPDATE orders.orders SET saga_step = 'RESERVING', reserve_started = true, updated_at = now() WHERE order_id = :order_id AND lease_epoch = 0 AND status || '' = 'PENDING' AND saga_step = 'NEW' RETURNING order_id, user_id, request_hash, status, reason, saga_step, reserve_started, charge_started, released, refunded, payment_method, shipping_address::text, total_amount, currency, payment_id, reservation_id, created_at, updated_at, lease_epoch)
SELECT moved.*, i.product_id, i.quantity, i.unit_price FROM moved LEFT JOIN orders.order_items i ON i.order_id = moved.order_id ORDER BY i.line_no;

/* T3 inventory.reserve */ BEGIN;
/* T3 reserve: findByOrder */ SELECT reservation_id, order_id, status, currency, total_cents, expires_at, (status = 'HELD' AND expires_at <= now()) AS due, refusal, refused_product_id FROM inventory.reservations WHERE order_id = :order_id;
/* T3 reserve: lockInOrder FOR UPDATE */ SELECT product_id, name, price_cents, currency, available, reserved FROM inventory.products WHERE product_id = ANY(ARRAY[:product_id]) ORDER BY product_id FOR UPDATE \gset p_
\set total :p_price_cents * :qty
/* T3 reserve: insertHeld */ INSERT INTO inventory.reservations (reservation_id, order_id, status, currency, total_cents, expires_at)
VALUES (gen_random_uuid(), :order_id, 'HELD', :p_currency, :total, now() + make_interval(secs => :ttl_secs))
ON CONFLICT (order_id) DO NOTHING
RETURNING reservation_id, order_id, status, currency, total_cents, expires_at, (status = 'HELD' AND expires_at <= now()) AS due, refusal, refused_product_id \gset r_
/* T3 reserve: INSERT reservation_lines */ INSERT INTO inventory.reservation_lines (reservation_id, line_no, product_id, quantity, unit_price_cents) VALUES (:r_reservation_id, 0, :product_id, :qty, :p_price_cents);
\set hold_available -1 * :qty
/* T3 reserve: hold UPDATE products */ UPDATE inventory.products SET available = available + :hold_available, reserved = reserved + :qty, updated_at = now() WHERE product_id = :product_id;
/* T3 inventory.reserve */ COMMIT;

/* T4 recordReservation */ WITH moved AS (UPDATE orders.orders SET reservation_id = :r_reservation_id, total_amount = :r_total_cents, currency = :r_currency, saga_step = 'CHARGING', charge_started = true, updated_at = now() WHERE order_id = :order_id AND lease_epoch = 0 AND status || '' = 'PENDING' AND saga_step = 'RESERVING' RETURNING order_id, user_id, request_hash, status, reason, saga_step, reserve_started, charge_started, released, refunded, payment_method, shipping_address::text, total_amount, currency, payment_id, reservation_id, created_at, updated_at, lease_epoch),
priced AS (UPDATE orders.order_items i SET unit_price = p.price FROM moved, unnest(ARRAY[:product_id]::text[], ARRAY[:p_price_cents]::bigint[]) AS p (product_id, price) WHERE i.order_id = moved.order_id AND i.product_id = p.product_id)
SELECT * FROM moved;

-- ============================================================================================================
-- step 2, charge payment
-- ============================================================================================================
/* T5 charge intent */ BEGIN;
/* T5 intent: isCancelled */ SELECT EXISTS (SELECT 1 FROM payments.payment_cancellations WHERE order_id = :order_id);
/* T5 intent: insertPending */ INSERT INTO payments.payments (payment_id, order_id, user_id, amount, currency, payment_method, idempotency_key, status)
VALUES (gen_random_uuid(), :order_id, :user_id, :r_total_cents, :r_currency, 'pm_card_visa', 'order-' || :order_id::text, 'PENDING') ON CONFLICT (order_id) DO NOTHING;
/* T5 intent: lock */ SELECT payment_id, order_id, user_id, amount, currency, payment_method, idempotency_key, provider_ref, refund_ref, status, decline_code, created_at, updated_at FROM payments.payments WHERE order_id = :order_id FOR UPDATE \gset pay_
/* T5 charge intent */ COMMIT;

/* T6 simulator charge */ BEGIN;
/* T6 simulator: INSERT simulator_charges */ INSERT INTO payments.simulator_charges (idempotency_key, charge_id, amount, currency, payment_method, status, decline_code)
VALUES (:pay_idempotency_key, 'sim_ch_' || replace(gen_random_uuid()::text, '-', ''), :pay_amount, :pay_currency, :pay_payment_method, 'succeeded', NULL) ON CONFLICT (idempotency_key) DO NOTHING;
/* T6 simulator: find */ SELECT * FROM payments.simulator_charges WHERE idempotency_key = :pay_idempotency_key \gset sim_
/* T6 simulator charge */ COMMIT;

/* T7 charge completion */ BEGIN;
/* T7 completion: lock */ SELECT payment_id, order_id, user_id, amount, currency, payment_method, idempotency_key, provider_ref, refund_ref, status, decline_code, created_at, updated_at FROM payments.payments WHERE order_id = :order_id FOR UPDATE;
/* T7 completion: isCancelled */ SELECT EXISTS (SELECT 1 FROM payments.payment_cancellations WHERE order_id = :order_id);
/* T7 completion: markCompleted */ UPDATE payments.payments SET status = 'COMPLETED', provider_ref = :sim_charge_id, decline_code = NULL, updated_at = now() WHERE payment_id = :pay_payment_id
RETURNING payment_id, order_id, user_id, amount, currency, payment_method, idempotency_key, provider_ref, refund_ref, status, decline_code, created_at, updated_at;
/* T7 completion: outbox payment.completed */ INSERT INTO payments.outbox (message_id, type, payload, traceparent)
VALUES (:payment_message_id, 'payment.completed',
        format('{"messageId":"%s","type":"payment.completed","occurredAt":"%sZ","schemaVersion":1,"paymentId":"%s","orderId":"%s","amount":%s,"currency":"%s"}',
               :payment_message_id::text, to_json(now() AT TIME ZONE 'UTC') #>> '{}', :pay_payment_id::text, :order_id::text,
               :pay_amount::text, :pay_currency::text)::jsonb,
        :traceparent);
/* T7 charge completion */ COMMIT;

-- payment-service's relay: asynchronous, placed here (after the event's commit) for want of a timer
/* T8 relay payments */ BEGIN;
/* T8 relay payments: claimBatch */ SELECT count(*) AS claimed, coalesce(array_agg(id), '{}') AS claimed_ids, sum(octet_length(message_id::text) + octet_length(type) + octet_length(payload) + coalesce(octet_length(traceparent), 0)) AS claimed_bytes
FROM (SELECT id, message_id, type, payload::text AS payload, traceparent FROM payments.outbox ORDER BY id LIMIT :relay_batch FOR UPDATE SKIP LOCKED) AS batch \gset
\if :claimed > 0
/* T8 relay payments: markPublished */ DELETE FROM payments.outbox WHERE id = ANY(:claimed_ids::bigint[]);
\endif
/* T8 relay payments */ COMMIT;

/* T9 recordPayment */ UPDATE orders.orders SET payment_id = :pay_payment_id, saga_step = 'CONFIRMING', updated_at = now() WHERE order_id = :order_id AND lease_epoch = 0 AND status || '' = 'PENDING' AND saga_step = 'CHARGING' RETURNING order_id, user_id, request_hash, status, reason, saga_step, reserve_started, charge_started, released, refunded, payment_method, shipping_address::text, total_amount, currency, payment_id, reservation_id, created_at, updated_at, lease_epoch;

-- ============================================================================================================
-- step 3, confirm
-- ============================================================================================================
/* T10 inventory.confirm */ BEGIN;
/* T10 confirm: lockByOrder */ SELECT reservation_id, order_id, status, currency, total_cents, expires_at, (status = 'HELD' AND expires_at <= now()) AS due, refusal, refused_product_id FROM inventory.reservations WHERE order_id = :order_id FOR UPDATE;
/* T10 confirm: lines */ SELECT product_id, quantity, unit_price_cents FROM inventory.reservation_lines WHERE reservation_id = :r_reservation_id ORDER BY line_no;
/* T10 confirm: lockInOrder FOR UPDATE */ SELECT product_id, name, price_cents, currency, available, reserved FROM inventory.products WHERE product_id = ANY(ARRAY[:product_id]) ORDER BY product_id FOR UPDATE;
\set sell_available 0
\set sell_reserved -1 * :qty
/* T10 confirm: sellHeld UPDATE products */ UPDATE inventory.products SET available = available + :sell_available, reserved = reserved + :sell_reserved, updated_at = now() WHERE product_id = :product_id;
/* T10 confirm: changeStatus */ UPDATE inventory.reservations SET status = 'CONFIRMED', updated_at = now() WHERE reservation_id = ANY(ARRAY[:r_reservation_id]::uuid[]) AND status = 'HELD';
/* T10 inventory.confirm */ COMMIT;

/* T11 confirm order */ BEGIN;
/* T11 confirm: UPDATE orders RETURNING, lines */ WITH moved AS (UPDATE orders.orders SET status = 'CONFIRMED', saga_step = 'DONE', updated_at = now() WHERE order_id = :order_id AND lease_epoch = 0 AND status || '' = 'PENDING' AND saga_step = 'CONFIRMING' RETURNING order_id, user_id, request_hash, status, reason, saga_step, reserve_started, charge_started, released, refunded, payment_method, shipping_address::text, total_amount, currency, payment_id, reservation_id, created_at, updated_at, lease_epoch)
SELECT moved.*, i.product_id, i.quantity, i.unit_price FROM moved LEFT JOIN orders.order_items i ON i.order_id = moved.order_id ORDER BY i.line_no;
/* T11 confirm: outbox order.confirmed */ INSERT INTO orders.outbox (message_id, type, payload, traceparent)
VALUES (:confirmed_message_id, 'order.confirmed',
        format('{"messageId":"%s","type":"order.confirmed","occurredAt":"%sZ","schemaVersion":1,"orderId":"%s","userId":"%s","items":[{"productId":"%s","quantity":%s,"unitPrice":%s}],"totalAmount":%s,"currency":"%s","shippingAddress":{"city":"London","name":"Ada Lovelace","line1":"1 Main St","line2": null,"country":"GB","postalCode":"N1 9GU"}}',
               :confirmed_message_id::text, to_json(now() AT TIME ZONE 'UTC') #>> '{}', :order_id::text, :user_id::text,
               :product_id::text, :qty::text, :p_price_cents::text, :r_total_cents::text, :r_currency::text)::jsonb,
        :traceparent);
/* T11 confirm order */ COMMIT;

-- ============================================================================================================
-- after the saga: order.confirmed relayed, shipment created, shipment.created relayed
-- ============================================================================================================
/* T12 relay orders */ BEGIN;
/* T12 relay orders: claimBatch */ SELECT count(*) AS claimed, coalesce(array_agg(id), '{}') AS claimed_ids, sum(octet_length(message_id::text) + octet_length(type) + octet_length(payload) + coalesce(octet_length(traceparent), 0)) AS claimed_bytes
FROM (SELECT id, message_id, type, payload::text AS payload, traceparent FROM orders.outbox ORDER BY id LIMIT :relay_batch FOR UPDATE SKIP LOCKED) AS batch \gset
\if :claimed > 0
/* T12 relay orders: markPublished */ DELETE FROM orders.outbox WHERE id = ANY(:claimed_ids::bigint[]);
\endif
/* T12 relay orders */ COMMIT;

/* T13 create-shipment */ BEGIN;
/* T13 shipment: inbox add */ INSERT INTO shipping.inbox (consumer, message_id) VALUES ('shipping-service', :confirmed_message_id) ON CONFLICT DO NOTHING;
/* T13 shipment: existsFor */ SELECT EXISTS (SELECT 1 FROM shipping.shipments WHERE order_id = :order_id);
/* T13 shipment: INSERT shipments */ INSERT INTO shipping.shipments (shipment_id, order_id, status, tracking_number, carrier, address)
VALUES (:shipment_id, :order_id, 'CREATED', :tracking_number, 'simulated',
        '{"name": "Ada Lovelace", "line1": "1 Main St", "line2": null, "city": "London", "postalCode": "N1 9GU", "country": "GB"}'::jsonb)
ON CONFLICT (order_id) DO NOTHING;
/* T13 shipment: outbox shipment.created */ INSERT INTO shipping.outbox (message_id, type, payload, traceparent)
VALUES (:shipment_message_id, 'shipment.created',
        format('{"messageId":"%s","type":"shipment.created","occurredAt":"%sZ","schemaVersion":1,"shipmentId":"%s","orderId":"%s","trackingNumber":"%s"}',
               :shipment_message_id::text, to_json(now() AT TIME ZONE 'UTC') #>> '{}', :shipment_id::text, :order_id::text,
               :tracking_number::text)::jsonb,
        :traceparent);
/* T13 create-shipment */ COMMIT;

/* T14 relay shipping */ BEGIN;
/* T14 relay shipping: claimBatch */ SELECT count(*) AS claimed, coalesce(array_agg(id), '{}') AS claimed_ids, sum(octet_length(message_id::text) + octet_length(type) + octet_length(payload) + coalesce(octet_length(traceparent), 0)) AS claimed_bytes
FROM (SELECT id, message_id, type, payload::text AS payload, traceparent FROM shipping.outbox ORDER BY id LIMIT :relay_batch FOR UPDATE SKIP LOCKED) AS batch \gset
\if :claimed > 0
/* T14 relay shipping: markPublished */ DELETE FROM shipping.outbox WHERE id = ANY(:claimed_ids::bigint[]);
\endif
/* T14 relay shipping */ COMMIT;
