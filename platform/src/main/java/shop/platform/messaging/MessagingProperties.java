package shop.platform.messaging;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param queueType {@code classic} (single broker) or {@code quorum} (cluster); docs/adr/0005
 * @param deliveryLimit redeliveries a quorum queue allows before it dead-letters a message
 */
@ConfigurationProperties("shop.messaging")
public record MessagingProperties(String queueType, Integer deliveryLimit) {

    public MessagingProperties {
        queueType = queueType == null ? "classic" : queueType;
        deliveryLimit = deliveryLimit == null ? 20 : deliveryLimit;
        if (!queueType.equals("classic") && !queueType.equals("quorum")) {
            throw new IllegalArgumentException("shop.messaging.queue-type must be classic or quorum, was " + queueType);
        }
    }

    public boolean quorum() {
        return queueType.equals("quorum");
    }
}
