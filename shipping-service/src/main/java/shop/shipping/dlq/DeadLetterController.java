package shop.shipping.dlq;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import shop.platform.web.ApiException;

/**
 * The shipping dead-letter queue for operators (CONTRACT.md, Shipping; docs/runbooks/dlq-replay.md).
 * <ul>
 *   <li>{@code GET /admin/dlq/shipments} -> {@code {"count":N,"messages":[{"orderId","reason","failedAt","attempts",
 *       "messageId","failedRoute"}]}}: {@code count} is the queue's depth, the list its first 100; looking
 *       leaves every message in place.</li>
 *   <li>{@code POST /admin/dlq/shipments/replay[?limit=N]} (1..10000; default: every message waiting now) ->
 *       {@code {"replayed":N,"remaining":M}}: moves them back to processing; replaying twice never ships twice.</li>
 * </ul>
 * Broker unreachable: 503 {@code {"status":"SERVICE_UNAVAILABLE","reason":"BROKER_UNAVAILABLE"}} (with
 * {@code replayed} when a replay stopped part-way).
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
        } catch (IOException | TimeoutException | RuntimeException e) {
            throw unavailable(e, null);
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
        } catch (ShippingDeadLetterQueue.ReplayFailed e) {
            throw unavailable(e, e.replayed());
        } catch (IOException | TimeoutException | RuntimeException e) {
            throw unavailable(e, 0);
        }
        Integer remaining = null;
        try {
            remaining = dlq.depth();
        } catch (IOException | TimeoutException | RuntimeException e) {
            // the replay itself is done; the depth is only a courtesy
        }
        return new Replayed(replayed, remaining);
    }

    private static ApiException unavailable(Exception e, Integer replayed) {
        log.error("dead-letter queue {} not reachable: {}", shop.shipping.config.ShippingTopology.DLQ, e.toString());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "SERVICE_UNAVAILABLE");
        body.put("reason", "BROKER_UNAVAILABLE");
        if (replayed != null) {
            body.put("replayed", replayed);
        }
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, body);
    }
}
