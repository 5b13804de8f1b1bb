package shop.inventory.reservation;

import java.util.ArrayList;
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

import shop.inventory.command.CommandValidator;
import shop.inventory.command.InventoryCommand;
import shop.inventory.command.ReserveRequest;
import shop.inventory.config.InventoryProperties;
import shop.inventory.product.Product;
import shop.inventory.product.ProductStore;

/**
 * {@code inventory.reserve} (bean {@code reserveHandler}): all lines or none, at the products' own prices.
 * Idempotent by orderId: a repeat answers what the first one did - the reservation, or the refusal, which is
 * remembered for that purpose - and a reserve for an order that was already released or expired is refused.
 * Concurrent reserves of the same order are settled by the unique order_id: the first insert wins, the others
 * take back nothing (they changed nothing yet) and answer its result.
 */
@Component
public class ReserveHandler {

    private static final Logger log = LoggerFactory.getLogger(ReserveHandler.class);

    private final CommandValidator validator;
    private final ReservationStore reservations;
    private final ProductStore products;
    private final ReservationExpirer expirer;
    private final ReservationMetrics metrics;
    private final InventoryProperties properties;

    public ReserveHandler(CommandValidator validator, ReservationStore reservations, ProductStore products,
                          ReservationExpirer expirer, ReservationMetrics metrics, InventoryProperties properties) {
        this.validator = validator;
        this.reservations = reservations;
        this.products = products;
        this.expirer = expirer;
        this.metrics = metrics;
        this.properties = properties;
    }

    @Transactional
    public Map<String, Object> reserve(InventoryCommand command) {
        ReserveRequest request = validator.reserve(command);
        UUID orderId = request.orderId();
        Optional<Reservation> existing = reservations.findByOrder(orderId);
        if (existing.isPresent()) {
            return repeated(existing.get());
        }

        // Lock every product of the order, in product_id order, before looking at its stock.
        Map<String, Product> locked = products.lockInOrder(request.lines().stream().map(ReserveRequest.Line::productId).toList());
        for (ReserveRequest.Line line : request.lines()) {
            if (!locked.containsKey(line.productId())) {
                log.info("reserve for order {} refused: unknown product {}", orderId, line.productId());
                return refuse(orderId, "UNKNOWN_PRODUCT", line.productId(), ReservationMetrics.UNKNOWN_PRODUCT);
            }
        }
        Set<String> currencies = new TreeSet<>();
        locked.values().forEach(p -> currencies.add(p.currency()));
        if (currencies.size() > 1) {
            log.warn("reserve for order {} refused: its products are priced in different currencies {}", orderId, currencies);
            return refuse(orderId, "CURRENCY_MISMATCH", null, ReservationMetrics.CURRENCY_MISMATCH);
        }
        for (ReserveRequest.Line line : request.lines()) {
            if (locked.get(line.productId()).available() < line.quantity()) {
                log.info("reserve for order {} refused: {} has fewer than {} unit(s) available", orderId, line.productId(),
                        line.quantity());
                return refuse(orderId, "OUT_OF_STOCK", line.productId(), ReservationMetrics.OUT_OF_STOCK);
            }
        }

        List<ReservationLine> lines = new ArrayList<>(request.lines().size());
        long total = 0;
        for (ReserveRequest.Line line : request.lines()) {
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
        return Replies.reserved(reservation, lines);
    }

    /** Remembers the refusal (a repeat of this reserve answers the same) and answers it. */
    private Map<String, Object> refuse(UUID orderId, String refusal, String productId, String outcome) {
        if (!reservations.insertRefusal(orderId, refusal, productId)) {
            return answerFirst(orderId);
        }
        metrics.reserveOutcome(outcome);
        return Replies.refusal(orderId, refusal, productId);
    }

    /** A concurrent reserve (or a release's tombstone) for this order committed first: answer what it left. */
    private Map<String, Object> answerFirst(UUID orderId) {
        Reservation first = reservations.findByOrder(orderId)
                .orElseThrow(() -> new IllegalStateException("reservation of order " + orderId + " conflicts but is not visible"));
        log.info("reserve for order {} met a concurrent command for the same order: answering its result", orderId);
        return answer(first);
    }

    /** A reserve for an order that already has a reservation (or a tombstone). */
    private Map<String, Object> repeated(Reservation existing) {
        if (existing.due()) {
            // Its time is up but the worker has not run yet: expire it now, the order must not keep the stock.
            Optional<Reservation> locked = reservations.lockByOrder(existing.orderId());
            if (locked.isPresent() && locked.get().due()) {
                expirer.expire(List.of(locked.get()));
            }
            metrics.reserveOutcome(ReservationMetrics.REFUSED);
            return Replies.compensated(existing.orderId());
        }
        if (existing.refusal() != null) {
            log.debug("repeated reserve for order {}: answering its refusal {} again", existing.orderId(), existing.refusal());
            return Replies.refusal(existing);
        }
        if (existing.status() == ReservationStatus.RELEASED || existing.status() == ReservationStatus.EXPIRED) {
            log.info("reserve for order {} refused: the order was already compensated ({})", existing.orderId(), existing.status());
            metrics.reserveOutcome(ReservationMetrics.REFUSED);
            return Replies.compensated(existing.orderId());
        }
        log.debug("repeated reserve for order {}: answering reservation {} again", existing.orderId(), existing.reservationId());
        return answer(existing);
    }

    private Map<String, Object> answer(Reservation reservation) {
        return switch (reservation.status()) {
            case HELD, CONFIRMED -> Replies.reserved(reservation, reservations.lines(reservation.reservationId()));
            case RELEASED, EXPIRED -> reservation.refusal() != null ? Replies.refusal(reservation)
                    : Replies.compensated(reservation.orderId());
        };
    }
}
