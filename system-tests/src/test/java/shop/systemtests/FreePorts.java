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
