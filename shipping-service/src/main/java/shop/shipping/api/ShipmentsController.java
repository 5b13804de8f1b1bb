package shop.shipping.api;

import java.util.List;
import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import shop.shipping.shipment.Shipment;
import shop.shipping.shipment.Shipments;

/**
 * {@code GET /shipments?orderId=<uuid>} (operator): the order's shipments, an empty array while none was
 * created yet. A malformed or missing orderId is a 400 {@code VALIDATION_FAILED} naming {@code orderId}.
 */
@RestController
public class ShipmentsController {

    private final Shipments shipments;

    public ShipmentsController(Shipments shipments) {
        this.shipments = shipments;
    }

    @GetMapping(path = "/shipments", produces = "application/json")
    public List<Shipment> byOrder(@RequestParam("orderId") UUID orderId) {
        return shipments.findByOrder(orderId);
    }
}
