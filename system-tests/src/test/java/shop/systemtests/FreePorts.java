package shop.systemtests;

import java.io.IOException;
import java.net.ServerSocket;

/** A run of consecutive free local ports. */
public final class FreePorts {

    public static int find(int count) {
        for (int base = 20000 + (int) (ProcessHandle.current().pid() % 20000); base < 60000; base += count) {
            if (allFree(base, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports");
    }

    /**
     * A run of free ports below the kernel's ephemeral range (32768 and up on Linux), for a process that binds
     * them only seconds after they were found (a broker node): an outgoing connection cannot take them meanwhile.
     */
    public static int findBelowEphemeral(int count) {
        int span = 32768 - 20000 - count;
        int offset = (int) (ProcessHandle.current().pid() % span);
        for (int i = 0; i < span; i += count) {
            int base = 20000 + (offset + i) % span;
            if (allFree(base, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports below 32768");
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
