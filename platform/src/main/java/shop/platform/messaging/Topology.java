package shop.platform.messaging;

/** Names of the exchanges every service shares (docs/messaging.md). */
public final class Topology {

    /** Facts: durable topic exchange, routing key = event type. */
    public static final String EVENTS = "shop.events";
    /** Commands that need an answer: direct exchange, routing key = command type. */
    public static final String COMMANDS = "shop.commands";
    /** Dead letters: direct exchange, routing key = the queue the message failed in. */
    public static final String DEAD_LETTERS = "shop.dlx";
    /** Alternate exchange of {@link #EVENTS} (policy shop-events): catches events no queue is bound for. */
    public static final String UNROUTABLE = "shop.unroutable";
    /**
     * Dead letters the broker itself dead-lettered (delivery limit, rejected) from a work queue without a
     * policy of its own - an integration's queue: policy shop-work-queues routes them here by this key.
     */
    public static final String UNSORTED_DEAD_LETTERS = "shop.dead-letters";
    /** How a command queue's name ends: policy shop-parking bounds "*.commands.dlq". */
    public static final String COMMAND_QUEUE_SUFFIX = ".commands";
    /**
     * Messages a parking queue keeps, newest first (oldest dropped): {@link #UNROUTABLE} and the commands'
     * dead-letter queues, which nothing consumes. Without a bound, every order's unsubscribed events would
     * pile up until the broker's disk or memory alarm blocks all publishers (docs/adr/0013). Set by policy
     * shop-parking and capped by operator policy shop-cap-parking (config/rabbitmq/definitions.json).
     */
    public static final int PARKING_QUEUE_MAX_LENGTH = 10_000;

    public static String deadLetterQueue(String queue) {
        return queue + ".dlq";
    }

    private Topology() {
    }
}
