package shop.platform.messaging;

/** Names of the exchanges every service shares (docs/messaging.md). */
public final class Topology {

    /** Facts: durable topic exchange, routing key = event type. */
    public static final String EVENTS = "shop.events";
    /** Commands that need an answer: direct exchange, routing key = command type. */
    public static final String COMMANDS = "shop.commands";
    /** Dead letters: direct exchange, routing key = the queue the message failed in. */
    public static final String DEAD_LETTERS = "shop.dlx";
    /** Alternate exchange of {@link #EVENTS}: catches events no queue is bound for. */
    public static final String UNROUTABLE = "shop.unroutable";

    public static String deadLetterQueue(String queue) {
        return queue + ".dlq";
    }

    private Topology() {
    }
}
