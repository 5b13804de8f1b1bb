-- The database floor: ONE successful order's SQL, as the four services run it, as one pgbench transaction.
--
--   pgbench -h 127.0.0.1 -U postgres -n -M prepared -c 16 -j 2 -T 20 -r -f system-tests/bench/floor.sql shop_floor
--
-- on a database loaded with floor-schema.sql. pgbench's tps is orders per second that PostgreSQL alone can
-- carry: no JVM, no HTTP, no RabbitMQ, no Camel - only the statements, the transactions and their commits.
--
-- The order is what the bench's load generator places (system-tests/src/test/java/shop/bench/LoadGenerator.java):
-- user bench-customer-<connection>, a fresh Idempotency-Key, one line of 1 x a random BENCH-nnn product,
-- pm_card_visa, the Ada Lovelace address; default configuration (payment provider "simulator", simulated carrier,
-- outbox batch size 100, reservation TTL 15 min).
--
-- Transactions, in saga order (paths below are relative to the repository root; j = src/main/java):
--
--  T1  orders    accept: INSERT orders ON CONFLICT DO NOTHING, INSERT order_items
--                order-service/j/shop/order/api/OrderController.java:71 -> domain/OrderStore.java:51-76 (SQL :56, :74)
--  T2  orders    beginStep(RESERVING): UPDATE orders          saga/OrderSaga.java:45 -> OrderStore.java:102-111 (:109)
--  R1  orders    get(): SELECT orders, SELECT order_items, no transaction (autocommit)
--                OrderSaga.java:46 -> OrderStore.java:85-99 (:88, :92)
--  T3  inventory inventory.reserve (no inbox: idempotent by reservations.order_id UNIQUE,
--                routes/inventory-service/inventory-commands.yaml:63-67)
--                inventory-service/j/shop/inventory/reservation/ReserveHandler.java:52-102:
--                findByOrder SELECT (:56 -> ReservationStore.java:42), lockInOrder SELECT ... FOR UPDATE of the product
--                rows (:62 -> product/ProductStore.java:50), insertHeld INSERT ... RETURNING + lines
--                (:91 -> ReservationStore.java:65, :77), hold UPDATE products (:97 -> ProductStore.java:84)
--  T4  orders    recordReservation: UPDATE orders, UPDATE order_items   OrderSaga.java:65 -> OrderStore.java:113-120
--  T5  orders    beginStep(CHARGING)                            OrderSaga.java:80 -> OrderStore.java:109
--  R2  orders    get()                                          OrderSaga.java:81 -> OrderStore.java:88, :92
--  T6  payments  charge tx1, the intent: isCancelled, INSERT payments PENDING, lock
--                payment-service/j/shop/payment/command/ChargeHandler.java:68-91 -> payment/PaymentStore.java:81, :36, :48
--  T7  payments  the simulator provider's own transaction: INSERT simulator_charges, SELECT it
--                ChargeHandler.java:99 -> provider/SimulatorPaymentProvider.java:57-79 (:62, :111)
--  T8  payments  charge tx2, the completion: lock, isCancelled, markCompleted, payment.completed in the outbox
--                ChargeHandler.java:110 -> payment/PaymentSettlement.java:66-76 -> PaymentStore.java:48, :81, :61;
--                platform/j/shop/platform/outbox/Outbox.java:36
--  R3  payments  current(): SELECT payments (autocommit)        PaymentSettlement.java:111 -> :173 -> PaymentStore.java:43
--  T9  payments  outbox relay: claim ... FOR UPDATE SKIP LOCKED, delete (asynchronous in the services; see below)
--  T10 orders    recordPayment: UPDATE orders (saga_step CONFIRMING)  OrderSaga.java:95 -> OrderStore.java:122-126
--  T11 orders    beginStep(CONFIRMING): UPDATE orders           OrderSaga.java:106 -> OrderStore.java:109
--  T12 inventory inventory.confirm: lockByOrder, lines, lockInOrder, sellHeld, changeStatus
--                reservation/ConfirmHandler.java:42-72 -> ReservationStore.java:49, :54, ProductStore.java:50, :84,
--                ReservationStore.java:106
--  T13 orders    confirm: UPDATE orders CONFIRMED, get() inside the transaction, order.confirmed in the outbox
--                OrderSaga.java:119 -> OrderStore.java:129-146 (:131, :136, :144)
--  (R4 is gone: the confirmation's metrics and log line use the order read inside T13)
--  R5  orders    get() for the HTTP answer                      order-service/j/shop/order/api/OrderAnswers.java:44
--  T14 orders    outbox relay (publishes order.confirmed)
--  T15 shipping  create-shipment: inbox row, existsFor, INSERT shipments, shipment.created in the outbox
--                routes/shipping-service/order-confirmed.yaml:46-91 (transacted :60, idempotentConsumer eager :62-67)
--                -> platform/j/shop/platform/inbox/InboxRepository.java:32,
--                shipping-service/j/shop/shipping/shipment/Shipments.java:59, :82, :92
--  T16 shipping  outbox relay
--
--  Outbox relay (T9, T14, T16): routes/platform/outbox-relay.yaml:7-52, one transaction per poll:
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
--    come from the RETURNING clause of T1's INSERT; reservation_id from T3's INSERT ... RETURNING and payment_id
--    from T6's lock, as in the services. JSON payloads are format()ted server side and cast to jsonb (the
--    services bind the JSON text and cast it: the jsonb parse is the same).
--  * Literals where the services bind constants (status names, 'pm_card_visa', the address JSON, request hash).
--  * pgbench variable syntax: no ':' directly followed by a letter may appear inside SQL text (JSON "k": null).

\set product random(1, 100)
\set qty 1
\set ttl_secs 900
\set relay_batch 100

-- ============================================================================================================
-- T1 orders: POST /orders accepts the order (one transaction)
-- ============================================================================================================
/* T1 accept */ BEGIN;
/* T1 accept: INSERT orders */ INSERT INTO orders.orders (order_id, user_id, idempotency_key, request_hash, status, saga_step, payment_method, shipping_address)
VALUES (gen_random_uuid(), 'bench-customer-' || :client_id::text, gen_random_uuid()::text,
        '5f1d0c3c8b4ee5f3a62cde0e5d3c3fb4a9b2e8a3a6cf3e1d9a0b7c6d5e4f3a2b', 'PENDING', 'NEW', 'pm_card_visa',
        '{"name": "Ada Lovelace", "line1": "1 Main St", "line2": null, "city": "London", "postalCode": "N1 9GU", "country": "GB"}'::jsonb)
ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
RETURNING order_id, user_id,
          'BENCH-' || lpad(:product::text, 3, '0') AS product_id,
          gen_random_uuid() AS payment_message_id,
          gen_random_uuid() AS confirmed_message_id,
          gen_random_uuid() AS shipment_id,
          gen_random_uuid() AS shipment_message_id,
          'SIM-' || upper(left(replace(order_id::text, '-', ''), 12)) AS tracking_number,
          '00-' || replace(gen_random_uuid()::text, '-', '') || '-' || left(replace(gen_random_uuid()::text, '-', ''), 16) || '-01' AS traceparent \gset
/* T1 accept: INSERT order_items */ INSERT INTO orders.order_items (order_id, line_no, product_id, quantity) VALUES (:order_id, 0, :product_id, :qty);
/* T1 accept */ COMMIT;

-- ============================================================================================================
-- step 1, reserve stock
-- ============================================================================================================
/* T2 beginStep RESERVING */ BEGIN;
/* T2 beginStep RESERVING */ UPDATE orders.orders SET saga_step = 'RESERVING', reserve_started = true, updated_at = now() WHERE order_id = :order_id AND status = 'PENDING';
/* T2 beginStep RESERVING */ COMMIT;

/* R1 get: orders */ SELECT order_id, user_id, request_hash, status, reason, saga_step, reserve_started, charge_started, released, refunded, payment_method, shipping_address::text, total_amount, currency, payment_id, reservation_id, created_at, updated_at FROM orders.orders WHERE order_id = :order_id;
/* R1 get: order_items */ SELECT product_id, quantity, unit_price FROM orders.order_items WHERE order_id = :order_id ORDER BY line_no;

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

/* T4 recordReservation */ BEGIN;
/* T4 recordReservation: orders */ UPDATE orders.orders SET reservation_id = :r_reservation_id, total_amount = :r_total_cents, currency = :r_currency, updated_at = now() WHERE order_id = :order_id;
/* T4 recordReservation: order_items */ UPDATE orders.order_items SET unit_price = :p_price_cents WHERE order_id = :order_id AND product_id = :product_id;
/* T4 recordReservation */ COMMIT;

-- ============================================================================================================
-- step 2, charge payment
-- ============================================================================================================
/* T5 beginStep CHARGING */ BEGIN;
/* T5 beginStep CHARGING */ UPDATE orders.orders SET saga_step = 'CHARGING', charge_started = true, updated_at = now() WHERE order_id = :order_id AND status = 'PENDING';
/* T5 beginStep CHARGING */ COMMIT;

/* R2 get: orders */ SELECT order_id, user_id, request_hash, status, reason, saga_step, reserve_started, charge_started, released, refunded, payment_method, shipping_address::text, total_amount, currency, payment_id, reservation_id, created_at, updated_at FROM orders.orders WHERE order_id = :order_id;
/* R2 get: order_items */ SELECT product_id, quantity, unit_price FROM orders.order_items WHERE order_id = :order_id ORDER BY line_no;

/* T6 charge intent */ BEGIN;
/* T6 intent: isCancelled */ SELECT EXISTS (SELECT 1 FROM payments.payment_cancellations WHERE order_id = :order_id);
/* T6 intent: insertPending */ INSERT INTO payments.payments (payment_id, order_id, user_id, amount, currency, payment_method, idempotency_key, status)
VALUES (gen_random_uuid(), :order_id, :user_id, :r_total_cents, :r_currency, 'pm_card_visa', 'order-' || :order_id::text, 'PENDING') ON CONFLICT (order_id) DO NOTHING;
/* T6 intent: lock */ SELECT payment_id, order_id, user_id, amount, currency, payment_method, idempotency_key, provider_ref, refund_ref, status, decline_code, created_at, updated_at FROM payments.payments WHERE order_id = :order_id FOR UPDATE \gset pay_
/* T6 charge intent */ COMMIT;

/* T7 simulator charge */ BEGIN;
/* T7 simulator: INSERT simulator_charges */ INSERT INTO payments.simulator_charges (idempotency_key, charge_id, amount, currency, payment_method, status, decline_code)
VALUES (:pay_idempotency_key, 'sim_ch_' || replace(gen_random_uuid()::text, '-', ''), :pay_amount, :pay_currency, :pay_payment_method, 'succeeded', NULL) ON CONFLICT (idempotency_key) DO NOTHING;
/* T7 simulator: find */ SELECT * FROM payments.simulator_charges WHERE idempotency_key = :pay_idempotency_key \gset sim_
/* T7 simulator charge */ COMMIT;

/* T8 charge completion */ BEGIN;
/* T8 completion: lock */ SELECT payment_id, order_id, user_id, amount, currency, payment_method, idempotency_key, provider_ref, refund_ref, status, decline_code, created_at, updated_at FROM payments.payments WHERE order_id = :order_id FOR UPDATE;
/* T8 completion: isCancelled */ SELECT EXISTS (SELECT 1 FROM payments.payment_cancellations WHERE order_id = :order_id);
/* T8 completion: markCompleted */ UPDATE payments.payments SET status = 'COMPLETED', provider_ref = :sim_charge_id, decline_code = NULL, updated_at = now() WHERE payment_id = :pay_payment_id;
/* T8 completion: outbox payment.completed */ INSERT INTO payments.outbox (message_id, type, payload, traceparent)
VALUES (:payment_message_id, 'payment.completed',
        format('{"messageId":"%s","type":"payment.completed","occurredAt":"%sZ","schemaVersion":1,"paymentId":"%s","orderId":"%s","amount":%s,"currency":"%s"}',
               :payment_message_id::text, to_json(now() AT TIME ZONE 'UTC') #>> '{}', :pay_payment_id::text, :order_id::text,
               :pay_amount::text, :pay_currency::text)::jsonb,
        :traceparent);
/* T8 charge completion */ COMMIT;

/* R3 current */ SELECT payment_id, order_id, user_id, amount, currency, payment_method, idempotency_key, provider_ref, refund_ref, status, decline_code, created_at, updated_at FROM payments.payments WHERE order_id = :order_id;

-- payment-service's relay: asynchronous, placed here (after the event's commit) for want of a timer
/* T9 relay payments */ BEGIN;
/* T9 relay payments: claimBatch */ SELECT count(*) AS claimed, coalesce(array_agg(id), '{}') AS claimed_ids, sum(octet_length(message_id::text) + octet_length(type) + octet_length(payload) + coalesce(octet_length(traceparent), 0)) AS claimed_bytes
FROM (SELECT id, message_id, type, payload::text AS payload, traceparent FROM payments.outbox ORDER BY id LIMIT :relay_batch FOR UPDATE SKIP LOCKED) AS batch \gset
\if :claimed > 0
/* T9 relay payments: markPublished */ DELETE FROM payments.outbox WHERE id = ANY(:claimed_ids::bigint[]);
\endif
/* T9 relay payments */ COMMIT;

/* T10 recordPayment */ BEGIN;
/* T10 recordPayment */ UPDATE orders.orders SET payment_id = :pay_payment_id, saga_step = 'CONFIRMING', updated_at = now() WHERE order_id = :order_id;
/* T10 recordPayment */ COMMIT;

-- ============================================================================================================
-- step 3, confirm
-- ============================================================================================================
/* T11 beginStep CONFIRMING */ BEGIN;
/* T11 beginStep CONFIRMING */ UPDATE orders.orders SET saga_step = 'CONFIRMING', updated_at = now() WHERE order_id = :order_id AND status = 'PENDING';
/* T11 beginStep CONFIRMING */ COMMIT;

/* T12 inventory.confirm */ BEGIN;
/* T12 confirm: lockByOrder */ SELECT reservation_id, order_id, status, currency, total_cents, expires_at, (status = 'HELD' AND expires_at <= now()) AS due, refusal, refused_product_id FROM inventory.reservations WHERE order_id = :order_id FOR UPDATE;
/* T12 confirm: lines */ SELECT product_id, quantity, unit_price_cents FROM inventory.reservation_lines WHERE reservation_id = :r_reservation_id ORDER BY line_no;
/* T12 confirm: lockInOrder FOR UPDATE */ SELECT product_id, name, price_cents, currency, available, reserved FROM inventory.products WHERE product_id = ANY(ARRAY[:product_id]) ORDER BY product_id FOR UPDATE;
\set sell_available 0
\set sell_reserved -1 * :qty
/* T12 confirm: sellHeld UPDATE products */ UPDATE inventory.products SET available = available + :sell_available, reserved = reserved + :sell_reserved, updated_at = now() WHERE product_id = :product_id;
/* T12 confirm: changeStatus */ UPDATE inventory.reservations SET status = 'CONFIRMED', updated_at = now() WHERE reservation_id = ANY(ARRAY[:r_reservation_id]::uuid[]) AND status = 'HELD';
/* T12 inventory.confirm */ COMMIT;

/* T13 confirm order */ BEGIN;
/* T13 confirm: UPDATE orders */ UPDATE orders.orders SET status = 'CONFIRMED', saga_step = 'DONE', updated_at = now() WHERE order_id = :order_id AND status = 'PENDING';
/* T13 confirm: get orders */ SELECT order_id, user_id, request_hash, status, reason, saga_step, reserve_started, charge_started, released, refunded, payment_method, shipping_address::text, total_amount, currency, payment_id, reservation_id, created_at, updated_at FROM orders.orders WHERE order_id = :order_id;
/* T13 confirm: get order_items */ SELECT product_id, quantity, unit_price FROM orders.order_items WHERE order_id = :order_id ORDER BY line_no;
/* T13 confirm: outbox order.confirmed */ INSERT INTO orders.outbox (message_id, type, payload, traceparent)
VALUES (:confirmed_message_id, 'order.confirmed',
        format('{"messageId":"%s","type":"order.confirmed","occurredAt":"%sZ","schemaVersion":1,"orderId":"%s","userId":"%s","items":[{"productId":"%s","quantity":%s,"unitPrice":%s}],"totalAmount":%s,"currency":"%s","shippingAddress":{"city":"London","name":"Ada Lovelace","line1":"1 Main St","line2": null,"country":"GB","postalCode":"N1 9GU"}}',
               :confirmed_message_id::text, to_json(now() AT TIME ZONE 'UTC') #>> '{}', :order_id::text, :user_id::text,
               :product_id::text, :qty::text, :p_price_cents::text, :r_total_cents::text, :r_currency::text)::jsonb,
        :traceparent);
/* T13 confirm order */ COMMIT;

/* R5 answer get: orders */ SELECT order_id, user_id, request_hash, status, reason, saga_step, reserve_started, charge_started, released, refunded, payment_method, shipping_address::text, total_amount, currency, payment_id, reservation_id, created_at, updated_at FROM orders.orders WHERE order_id = :order_id;
/* R5 answer get: order_items */ SELECT product_id, quantity, unit_price FROM orders.order_items WHERE order_id = :order_id ORDER BY line_no;

-- ============================================================================================================
-- after the saga: order.confirmed relayed, shipment created, shipment.created relayed
-- ============================================================================================================
/* T14 relay orders */ BEGIN;
/* T14 relay orders: claimBatch */ SELECT count(*) AS claimed, coalesce(array_agg(id), '{}') AS claimed_ids, sum(octet_length(message_id::text) + octet_length(type) + octet_length(payload) + coalesce(octet_length(traceparent), 0)) AS claimed_bytes
FROM (SELECT id, message_id, type, payload::text AS payload, traceparent FROM orders.outbox ORDER BY id LIMIT :relay_batch FOR UPDATE SKIP LOCKED) AS batch \gset
\if :claimed > 0
/* T14 relay orders: markPublished */ DELETE FROM orders.outbox WHERE id = ANY(:claimed_ids::bigint[]);
\endif
/* T14 relay orders */ COMMIT;

/* T15 create-shipment */ BEGIN;
/* T15 shipment: inbox add */ INSERT INTO shipping.inbox (consumer, message_id) VALUES ('shipping-service', :confirmed_message_id) ON CONFLICT DO NOTHING;
/* T15 shipment: existsFor */ SELECT EXISTS (SELECT 1 FROM shipping.shipments WHERE order_id = :order_id);
/* T15 shipment: INSERT shipments */ INSERT INTO shipping.shipments (shipment_id, order_id, status, tracking_number, carrier, address)
VALUES (:shipment_id, :order_id, 'CREATED', :tracking_number, 'simulated',
        '{"name": "Ada Lovelace", "line1": "1 Main St", "line2": null, "city": "London", "postalCode": "N1 9GU", "country": "GB"}'::jsonb)
ON CONFLICT (order_id) DO NOTHING;
/* T15 shipment: outbox shipment.created */ INSERT INTO shipping.outbox (message_id, type, payload, traceparent)
VALUES (:shipment_message_id, 'shipment.created',
        format('{"messageId":"%s","type":"shipment.created","occurredAt":"%sZ","schemaVersion":1,"shipmentId":"%s","orderId":"%s","trackingNumber":"%s"}',
               :shipment_message_id::text, to_json(now() AT TIME ZONE 'UTC') #>> '{}', :shipment_id::text, :order_id::text,
               :tracking_number::text)::jsonb,
        :traceparent);
/* T15 create-shipment */ COMMIT;

/* T16 relay shipping */ BEGIN;
/* T16 relay shipping: claimBatch */ SELECT count(*) AS claimed, coalesce(array_agg(id), '{}') AS claimed_ids, sum(octet_length(message_id::text) + octet_length(type) + octet_length(payload) + coalesce(octet_length(traceparent), 0)) AS claimed_bytes
FROM (SELECT id, message_id, type, payload::text AS payload, traceparent FROM shipping.outbox ORDER BY id LIMIT :relay_batch FOR UPDATE SKIP LOCKED) AS batch \gset
\if :claimed > 0
/* T16 relay shipping: markPublished */ DELETE FROM shipping.outbox WHERE id = ANY(:claimed_ids::bigint[]);
\endif
/* T16 relay shipping */ COMMIT;
