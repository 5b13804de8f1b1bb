package shop.shipping.api;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import shop.platform.web.ApiException;
import shop.shipping.dlq.ShippingDeadLetterQueue;

/**
 * The shipping dead letters for operators (CONTRACT.md, Shipping; docs/runbooks/dlq-replay.md), kept in the
 * service's message hospital ({@link ShippingDeadLetterQueue}).
 * <ul>
 *   <li>{@code GET /admin/dlq/shipments} -> {@code {"count":N,"messages":[{"orderId","reason","failedAt","attempts",
 *       "messageId","failedRoute","replayedAt"}]}}: {@code count} is how many wait, the list the oldest 100; a
 *       query, so looking any number of times changes nothing.</li>
 *   <li>{@code POST /admin/dlq/shipments/replay[?limit=N]} (1..10000; default: every one waiting now) ->
 *       {@code {"replayed":N,"remaining":M}}: moves them back to processing; replaying twice never ships twice.</li>
 * </ul>
 * Database unreachable: 503 {@code {"status":"SERVICE_UNAVAILABLE","reason":"DATABASE_UNAVAILABLE"}}. A replay
 * whose publishing fails after it committed is published by route shipments-dlq-republish when the broker is back.
 */
@RestController
@RequestMapping(path = "/admin/dlq/shipments", produces = "application/json")
public class DeadLetterController {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterController.class);
    static final int MAX_REPLAY = 10_000;

    private final ShippingDeadLetterQueue dlq;

    public DeadLetterController(ShippingDeadLetterQueue dlq) {
        this.dlq = dlq;
    }

    @GetMapping
    public ShippingDeadLetterQueue.Listing list() {
        try {
            return dlq.list();
        } catch (DataAccessException e) {
            throw unavailable(e);
        }
    }

    /** What a replay did: how many messages went back to processing, and how many still wait (when known). */
    public record Replayed(int replayed, Integer remaining) {
    }

    @PostMapping("/replay")
    public Replayed replay(@RequestParam(name = "limit", required = false) @Min(1) @Max(MAX_REPLAY) Integer limit) {
        int replayed;
        try {
            replayed = dlq.replay(limit == null ? MAX_REPLAY : limit);
        } catch (DataAccessException e) {
            throw unavailable(e);
        }
        try {
            // at once rather than on the republish route's next run; it is committed either way
            while (dlq.republishPending() > 0) {
                // next batch
            }
        } catch (IOException | RuntimeException e) {
            log.warn("replayed dead letters are published by route shipments-dlq-republish once the broker takes them: {}", e.toString());
        }
        Integer remaining = null;
        try {
            remaining = dlq.waiting();
        } catch (RuntimeException e) {
            // the replay itself is done; the count is only a courtesy
        }
        return new Replayed(replayed, remaining);
    }

    private static ApiException unavailable(Exception e) {
        log.error("the dead letters cannot be read: {}", e.toString());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "SERVICE_UNAVAILABLE");
        body.put("reason", "DATABASE_UNAVAILABLE");
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, body);
    }
}
