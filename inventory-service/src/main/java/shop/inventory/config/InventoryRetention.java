package shop.inventory.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import shop.platform.retention.RetentionTable;
import shop.platform.retention.RetentionWindow;

/**
 * What the platform's retention job deletes here besides the inbox (docs/messaging.md, Retention): tombstones
 * and refusals - RELEASED reservations without lines, which only answer a late or repeated reserve of a failed
 * order. Reservations that held stock are the inventory's record and stay.
 */
@Configuration(proxyBeanMethods = false)
public class InventoryRetention {

    @Bean
    RetentionTable reservationTombstoneRetention() {
        return new RetentionTable("reservations", "updated_at",
                "t.status = 'RELEASED' AND NOT EXISTS (SELECT 1 FROM reservation_lines l WHERE l.reservation_id = t.reservation_id)");
    }

    /** A reservation and the commands about it live at most this long; the retention must be longer. */
    @Bean
    RetentionWindow reservationTtlRetentionWindow(InventoryProperties props) {
        return new RetentionWindow("RESERVATION_TTL", props.reservationTtl(), "a held reservation and the commands about it live this long");
    }
}
