package shop.platform.messaging;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param queueType {@code classic} (single broker) or {@code quorum} (cluster); docs/adr/0005
 * (the delivery limit of a quorum queue is a policy: config/rabbitmq/definitions.json)
 */
@ConfigurationProperties("shop.messaging")
public record MessagingProperties(String queueType) {

    public MessagingProperties {
        queueType = queueType == null ? "classic" : queueType;
        if (!queueType.equals("classic") && !queueType.equals("quorum")) {
            throw new IllegalArgumentException("shop.messaging.queue-type must be classic or quorum, was " + queueType);
        }
    }

    public boolean quorum() {
        return queueType.equals("quorum");
    }
}
