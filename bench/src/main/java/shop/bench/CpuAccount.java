package shop.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import shop.systemtests.ServiceProcess;

/**
 * Where the CPU goes: the CPU time each process used during a phase, divided by the orders it confirmed. Less
 * noisy than orders/s on a shared machine, and it says which process to profile. PostgreSQL and RabbitMQ are
 * summed over their processes ({@code postgres}, {@code beam.smp}); the load generator is this JVM.
 */
final class CpuAccount {

    private final List<ServiceProcess> services;
    private final Map<String, Duration> start;

    CpuAccount(List<ServiceProcess> services) {
        this.services = services;
        this.start = snapshot();
    }

    /** Milliseconds of CPU per order since construction, per process, with a "total". */
    Map<String, Double> perOrderMs(long orders) {
        Map<String, Double> perOrder = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, Duration> end : snapshot().entrySet()) {
            double ms = end.getValue().minus(start.getOrDefault(end.getKey(), Duration.ZERO)).toNanos() / 1e6 / Math.max(orders, 1);
            perOrder.put(end.getKey(), ms);
            total += ms;
        }
        perOrder.put("total", total);
        return perOrder;
    }

    private Map<String, Duration> snapshot() {
        Map<String, Duration> cpu = new LinkedHashMap<>();
        for (ServiceProcess service : services) {
            cpu.put(service.name().replace("-service", ""), ProcessCpu.of(ProcessHandle.of(service.pid())));
        }
        cpu.put("rabbitmq", ProcessCpu.sumOf(ProcessCpu.RABBITMQ));
        cpu.put("postgresql", ProcessCpu.sumOf(ProcessCpu.POSTGRESQL));
        cpu.put("load generator", ProcessCpu.ofThisJvm());
        return cpu;
    }
}
