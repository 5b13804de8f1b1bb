package shop.platform.testing;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/** A test's own client of the local broker (127.0.0.1, guest), beside the service's: to publish as another service would. */
public final class LocalBroker {

    /** A client of the local broker in {@code vhost}. */
    public static ConnectionFactory factory(String vhost) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setVirtualHost(vhost);
        return factory;
    }

    /** A JSON event on {@code shop.events} with its messageId, persistent, confirmed by the broker. */
    public static void publishEvent(ConnectionFactory broker, String routingKey, String messageId, byte[] json)
            throws Exception {
        try (Connection c = broker.newConnection(); Channel ch = c.createChannel()) {
            ch.confirmSelect();
            ch.basicPublish("shop.events", routingKey, true, new AMQP.BasicProperties.Builder().messageId(messageId)
                    .contentType("application/json").deliveryMode(2).build(), json);
            ch.waitForConfirmsOrDie(5000);
        }
    }

    private LocalBroker() {
    }
}
