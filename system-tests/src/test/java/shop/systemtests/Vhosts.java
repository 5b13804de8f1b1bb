package shop.systemtests;

/** RabbitMQ virtual hosts of their own, for runs that must not meet the shared system's queues. */
public final class Vhosts {

    /** Deletes the vhost if it exists, creates it afresh and lets guest use it. */
    public static void recreate(String vhost) {
        Commands.run("rabbitmqctl", "-q", "delete_vhost", vhost); // absent the first time
        Commands.require("rabbitmqctl", "-q", "add_vhost", vhost);
        Commands.require("rabbitmqctl", "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
    }

    private Vhosts() {
    }
}
