package shop.inventory.messaging;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import shop.contracts.inventory.ReserveReply;
import shop.contracts.inventory.ReserveStock;
import shop.inventory.config.InventoryProperties;
import shop.inventory.product.Product;
import shop.inventory.product.ProductStore;
import shop.inventory.reservation.Reservation;
import shop.inventory.reservation.ReservationExpirer;
import shop.inventory.reservation.ReservationLine;
import shop.inventory.reservation.ReservationMetrics;
import shop.inventory.reservation.ReservationStatus;
import shop.inventory.reservation.ReservationStore;
import shop.platform.messaging.MessageChecks;
import shop.platform.messaging.PermanentMessageFailure;

/**
 * {@code inventory.reserve} (bean {@code reserveHandler}): all lines or none, at the products' own prices.
 * Idempotent by orderId: a repeat answers what the first one did - the reservation, or the refusal, which is
 * remembered for that purpose - and a reserve for an order that was already released or expired is refused.
 * Concurrent reserves of the same order are settled by the unique order_id: the first insert wins, the others
 * take back nothing (they changed nothing yet) and answer its result.
 * <p>
 * A command that breaks {@link ReserveStock}'s constraints (orderId, 1..50 lines, productId, quantity 1..1000) or
 * names a product twice can never succeed: it is a {@link PermanentMessageFailure}, answered INVALID_COMMAND, and
 * nothing is read or written.
 */
@Component
public class ReserveHandler {

    private static final Logger log = LoggerFactory.getLogger(ReserveHandler.class);

    private final MessageChecks checks;
    private final ReservationStore reservations;
    private final ProductStore products;
    private final ReservationExpirer expirer;
    private final ReservationMetrics metrics;
    private final InventoryProperties properties;

    public ReserveHandler(MessageChecks checks, ReservationStore reservations, ProductStore products,
                          ReservationExpirer expirer, ReservationMetrics metrics, InventoryProperties properties) {
        this.checks = checks;
        this.reservations = reservations;
        this.products = products;
        this.expirer = expirer;
        this.metrics = metrics;
        this.properties = properties;
    }

    @Transactional
    public ReserveReply reserve(ReserveStock command) {
        checks.check(command, ReserveStock.TYPE);
        List<ReserveStock.Line> requested = distinctProducts(command);
        UUID orderId = command.orderId();
        Optional<Reservation> existing = reservations.findByOrder(orderId);
        if (existing.isPresent()) {
            return repeated(existing.get());
        }

        // Lock every product of the order, in product_id order, before looking at its stock.
        Map<String, Product> locked = products.lockInOrder(requested.stream().map(ReserveStock.Line::productId).toList());
        for (ReserveStock.Line line : requested) {
            if (!locked.containsKey(line.productId())) {
                log.info("reserve for order {} refused: unknown product {}", orderId, line.productId());
                return refuse(orderId, ReserveReply.UNKNOWN_PRODUCT, line.productId(), ReservationMetrics.UNKNOWN_PRODUCT);
            }
        }
        Set<String> currencies = new TreeSet<>();
        locked.values().forEach(p -> currencies.add(p.currency()));
        if (currencies.size() > 1) {
            log.warn("reserve for order {} refused: its products are priced in different currencies {}", orderId, currencies);
            return refuse(orderId, ReserveReply.CURRENCY_MISMATCH, null, ReservationMetrics.CURRENCY_MISMATCH);
        }
        for (ReserveStock.Line line : requested) {
            if (locked.get(line.productId()).available() < line.quantity()) {
                log.info("reserve for order {} refused: {} has fewer than {} unit(s) available", orderId, line.productId(),
                        line.quantity());
                return refuse(orderId, ReserveReply.OUT_OF_STOCK, line.productId(), ReservationMetrics.OUT_OF_STOCK);
            }
        }

        List<ReservationLine> lines = new ArrayList<>(requested.size());
        long total = 0;
        for (ReserveStock.Line line : requested) {
            long unitPrice = locked.get(line.productId()).priceCents();
            lines.add(new ReservationLine(line.productId(), line.quantity(), unitPrice));
            total = Math.addExact(total, Math.multiplyExact(unitPrice, line.quantity()));
        }
        String currency = currencies.iterator().next();
        Optional<Reservation> inserted = reservations.insertHeld(UUID.randomUUID(), orderId, currency, total,
                properties.reservationTtl(), lines);
        if (inserted.isEmpty()) {
            return answerFirst(orderId);
        }
        Reservation reservation = inserted.get();
        products.hold(ReservationLine.quantities(lines));
        metrics.reserveOutcome(ReservationMetrics.RESERVED);
        log.info("reserved {} line(s) for order {}: reservation {}, {} {} (expires {})", lines.size(), orderId,
                reservation.reservationId(), total, currency, reservation.expiresAt());
        return reserved(reservation, lines);
    }

    /** The rule {@link ReserveStock}'s constraints cannot say: every line names another product. */
    private static List<ReserveStock.Line> distinctProducts(ReserveStock command) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < command.items().size(); i++) {
            String productId = command.items().get(i).productId();
            if (!seen.add(productId)) {
                throw new PermanentMessageFailure("invalid " + ReserveStock.TYPE + " " + command.messageId() + ": items[" + i
                        + "].productId repeats " + productId);
            }
        }
        return command.items();
    }

    /** Remembers the refusal (a repeat of this reserve answers the same) and answers it. */
    private ReserveReply refuse(UUID orderId, String refusal, String productId, String outcome) {
        if (!reservations.insertRefusal(orderId, refusal, productId)) {
            return answerFirst(orderId);
        }
        metrics.reserveOutcome(outcome);
        return ReserveReply.refused(orderId, refusal, productId);
    }

    /** A concurrent reserve (or a release's tombstone) for this order committed first: answer what it left. */
    private ReserveReply answerFirst(UUID orderId) {
        Reservation first = reservations.findByOrder(orderId)
                .orElseThrow(() -> new IllegalStateException("reservation of order " + orderId + " conflicts but is not visible"));
        log.info("reserve for order {} met a concurrent command for the same order: answering its result", orderId);
        return answer(first);
    }

    /** A reserve for an order that already has a reservation (or a tombstone). */
    private ReserveReply repeated(Reservation existing) {
        if (existing.due()) {
            // Its time is up but the worker has not run yet: expire it now, the order must not keep the stock.
            Optional<Reservation> locked = reservations.lockByOrder(existing.orderId());
            if (locked.isPresent() && locked.get().due()) {
                expirer.expire(List.of(locked.get()));
            }
            metrics.reserveOutcome(ReservationMetrics.REFUSED);
            return ReserveReply.compensated(existing.orderId());
        }
        if (existing.refusal() != null) {
            log.debug("repeated reserve for order {}: answering its refusal {} again", existing.orderId(), existing.refusal());
            return refusal(existing);
        }
        if (existing.status() == ReservationStatus.RELEASED || existing.status() == ReservationStatus.EXPIRED) {
            log.info("reserve for order {} refused: the order was already compensated ({})", existing.orderId(), existing.status());
            metrics.reserveOutcome(ReservationMetrics.REFUSED);
            return ReserveReply.compensated(existing.orderId());
        }
        log.debug("repeated reserve for order {}: answering reservation {} again", existing.orderId(), existing.reservationId());
        return answer(existing);
    }

    private ReserveReply answer(Reservation reservation) {
        return switch (reservation.status()) {
            case HELD, CONFIRMED -> reserved(reservation, reservations.lines(reservation.reservationId()));
            case RELEASED, EXPIRED -> reservation.refusal() != null ? refusal(reservation)
                    : ReserveReply.compensated(reservation.orderId());
        };
    }

    private static ReserveReply reserved(Reservation reservation, List<ReservationLine> lines) {
        return ReserveReply.reserved(reservation.orderId(), reservation.reservationId(), reservation.currency(),
                reservation.totalCents(), lines.stream()
                        .map(l -> new ReserveReply.PricedLine(l.productId(), l.quantity(), l.unitPriceCents())).toList());
    }

    /** The answer a refused reserve gave, from its tombstone ({@link Reservation#refusal()} set). */
    private static ReserveReply refusal(Reservation tombstone) {
        return ReserveReply.refused(tombstone.orderId(), tombstone.refusal(), tombstone.refusedProductId());
    }
}
