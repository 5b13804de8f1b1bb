package shop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import shop.systemtests.ServiceProcess;

/** The largest resident set each service process reached, read from {@code /proc/<pid>/status} twice a second. */
final class RssSampler implements AutoCloseable {

    private final List<ServiceProcess> services;
    private final Map<String, Long> maxKib = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    RssSampler(List<ServiceProcess> services) {
        this.services = services;
        services.forEach(s -> maxKib.put(s.name(), 0L));
        thread = new Thread(this::sample, "rss-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void sample() {
        while (running) {
            sampleOnce();
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sampleOnce() {
        for (ServiceProcess service : services) {
            long kib = rssKib(service.pid());
            maxKib.merge(service.name(), kib, Math::max);
        }
    }

    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return 0;
        } catch (IOException gone) {
            return 0;
        }
    }

    /** Peak RSS per service in MiB. */
    synchronized Map<String, Double> maxMib() {
        sampleOnce();
        Map<String, Double> mib = new LinkedHashMap<>();
        maxKib.forEach((name, kib) -> mib.put(name, kib / 1024.0));
        return mib;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
