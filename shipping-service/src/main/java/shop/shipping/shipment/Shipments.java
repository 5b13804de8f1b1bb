package shop.shipping.shipment;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import shop.contracts.order.OrderConfirmed;
import shop.contracts.shipping.ShipmentCreated;
import shop.platform.messaging.PermanentMessageFailure;
import shop.platform.outbox.Outbox;
import shop.shipping.carrier.Carrier;

/**
 * Bean {@code shipments}: the shipments table. {@link #create} runs in route {@code create-shipment}, inside the
 * transaction the platform's inbox route {@code shop-integration-inbox} opened (the inbox row, the shipment and its
 * {@code shipment.created} outbox event commit together or not at all).
 */
@Component("shipments")
public class Shipments {

    private static final Logger log = LoggerFactory.getLogger(Shipments.class);

    private static final RowMapper<Shipment> ROW = (rs, i) -> new Shipment(
            rs.getObject("shipment_id", UUID.class), rs.getObject("order_id", UUID.class), rs.getString("status"),
            rs.getString("tracking_number"), rs.getString("carrier"), rs.getTimestamp("created_at").toInstant());

    private final JdbcTemplate jdbc;
    private final Outbox outbox;
    private final Carrier carrier;
    private final ObjectMapper json;
    private final Counter created;
    private final Counter alreadyShipped;

    public Shipments(JdbcTemplate jdbc, Outbox outbox, Carrier carrier, ObjectMapper json, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.carrier = carrier;
        this.json = json;
        this.created = Counter.builder("shop.shipments").description("shipments created").register(meters);
        this.alreadyShipped = Counter.builder("shop.shipments.already.shipped")
                .description("order.confirmed messages for orders that already had a shipment (replays, redeliveries)")
                .register(meters);
    }

    /** True when the order already has its shipment: a replay or a second event for it changes nothing. */
    public boolean existsFor(OrderConfirmed order) {
        boolean exists = Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM shipments WHERE order_id = ?)", Boolean.class, order.orderId()));
        if (exists) {
            alreadyShipped.increment();
        }
        return exists;
    }

    /**
     * Records the shipment and its {@code shipment.created} event in the caller's transaction. A concurrent
     * copy for the same order (another messageId) waits on the unique order_id and then adds nothing.
     *
     * @return the order's shipment
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Shipment create(OrderConfirmed order, String trackingNumber) {
        UUID shipmentId = UUID.randomUUID();
        String address;
        try {
            address = json.writeValueAsString(order.shippingAddress());
        } catch (JsonProcessingException e) {
            throw new PermanentMessageFailure("cannot store the address of order " + order.orderId(), e);
        }
        int inserted = jdbc.update("""
                INSERT INTO shipments (shipment_id, order_id, status, tracking_number, carrier, address)
                VALUES (?, ?, 'CREATED', ?, ?, ?::jsonb)
                ON CONFLICT (order_id) DO NOTHING""",
                shipmentId, order.orderId(), trackingNumber, carrier.name(), address);
        if (inserted == 0) {
            alreadyShipped.increment();
            log.info("order {} got its shipment concurrently; message {} changes nothing", order.orderId(), order.messageId());
            return findByOrder(order.orderId()).get(0);
        }
        outbox.add(ShipmentCreated.of(shipmentId, order.orderId(), trackingNumber));
        created.increment();
        log.info("shipment {} created for order {} with {} tracking number {}", shipmentId, order.orderId(),
                carrier.name(), trackingNumber);
        return new Shipment(shipmentId, order.orderId(), "CREATED", trackingNumber, carrier.name(), null);
    }

    public List<Shipment> findByOrder(UUID orderId) {
        return jdbc.query("""
                SELECT shipment_id, order_id, status, tracking_number, carrier, created_at
                FROM shipments WHERE order_id = ? ORDER BY created_at""", ROW, orderId);
    }
}
