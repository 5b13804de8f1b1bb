package shop.systemtests;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run of consecutive free local ports, below the kernel's ephemeral range (32768 and up on Linux, read from
 * {@code ip_local_port_range}). The processes that bind them (services, broker nodes) do so seconds after the
 * ports were found, while other processes open outgoing connections: a port in the ephemeral range can be taken
 * by one of those meanwhile (measured: a benchmark run whose order service found its port taken).
 */
public final class FreePorts {

    private static final int LOWEST = 20000;

    public static int find(int count) {
        int top = firstEphemeral();
        if (top - LOWEST < 1000) {
            top = 60000; // an ephemeral range that starts low leaves no safe window: search as widely as before
        }
        int span = top - LOWEST - count;
        int offset = (int) (ProcessHandle.current().pid() % span);
        for (int i = 0; i < span; i += count) {
            int base = LOWEST + (offset + i) % span;
            if (allFree(base, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports from " + LOWEST + " to the ephemeral range");
    }

    private static int firstEphemeral() {
        try {
            // readAllLines, not readString: readString trusts the size a /proc file reports and reads "3" here
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    private static boolean allFree(int base, int count) {
        for (int p = base; p < base + count; p++) {
            try (ServerSocket s = new ServerSocket(p)) {
                s.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private FreePorts() {
    }
}
