package shop.systemtests;

import java.nio.file.Path;

import com.rabbitmq.client.ConnectionFactory;

/** RabbitMQ virtual hosts: the services' one, and ones of their own for runs that must not meet the shared system's queues. */
public final class Vhosts {

    /** The vhost the services of this run use: {@code RABBITMQ_VHOST} of the test's environment (they inherit it), else "/". */
    public static String services() {
        String vhost = System.getenv("RABBITMQ_VHOST");
        return vhost == null || vhost.isBlank() ? "/" : vhost;
    }

    /** A client of the local broker in {@link #services()}. */
    public static ConnectionFactory factory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setVirtualHost(services());
        return factory;
    }

    /** Deletes the vhost if it exists, creates it afresh with the broker policies and lets guest use it. */
    public static void recreate(String vhost) {
        Commands.run("rabbitmqctl", "-q", "delete_vhost", vhost); // absent the first time
        Commands.require("rabbitmqctl", "-q", "add_vhost", vhost);
        Commands.require("rabbitmqctl", "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
        applyPolicies(vhost);
    }

    /**
     * The policies of config/rabbitmq/definitions.json on the vhost, as bin/ensure-infra applies them to the
     * local broker (bin/apply-policies; sets only what differs).
     */
    public static void applyPolicies(String vhost) {
        Path root = Path.of(System.getProperty("shop.root", "..")).toAbsolutePath().normalize();
        Commands.require(root.resolve("bin/apply-policies").toString(), vhost);
    }

    private Vhosts() {
    }
}
