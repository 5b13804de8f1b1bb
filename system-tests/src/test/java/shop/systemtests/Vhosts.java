package shop.systemtests;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** RabbitMQ virtual hosts of their own, for runs that must not meet the shared system's queues. */
public final class Vhosts {

    /** Deletes the vhost if it exists, creates it afresh and lets guest use it. */
    public static void recreate(String vhost) {
        rabbitmqctl(true, "delete_vhost", vhost);
        rabbitmqctl(false, "add_vhost", vhost);
        rabbitmqctl(false, "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
    }

    private static void rabbitmqctl(boolean mayFail, String... args) {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0 && !mayFail) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("rabbitmqctl is needed to make a vhost", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Vhosts() {
    }
}
