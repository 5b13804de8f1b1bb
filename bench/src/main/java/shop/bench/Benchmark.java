package shop.bench;

import java.util.List;
import java.util.Map;

/**
 * The load benchmark ({@code bin/bench}, docs/performance.md): the database floor, then the four services under a
 * load of {@code POST /orders}, measured side by side in one run on one machine.
 *
 * <ol>
 *   <li>floor: pgbench runs one order's SQL with 16 clients on the same PostgreSQL;</li>
 *   <li>messaging floor: RabbitMQ alone carries one order's messages, to say how much CPU the broker needs;</li>
 *   <li>with {@code BENCH_AOT=train}, a training run of the services writes each one's AOT cache;</li>
 *   <li>the services start one by one (startup time each), 100 products are stocked;</li>
 *   <li>warm-up, then throughput (closed loop, 32 connections), then latency (open loop at half the throughput just
 *   measured), peak RSS sampled throughout;</li>
 *   <li>invariants across the four databases; the report is printed and written to docs/performance.md, the chart to docs/performance.svg.</li>
 * </ol>
 * Fails (non-zero exit) when a target is missed, so the figures in the report are the ones that count.
 */
public final class Benchmark {

    static final int STOCK_PER_PRODUCT = 1_000_000;

    public static void main(String[] args) throws Exception {
        BenchSettings settings = BenchSettings.fromEnvironment();
        String machine = Machine.describe(settings.root());
        System.out.println(machine);

        Floor.Result floor = Floor.run(settings);
        System.out.printf("floor: %.0f orders/s (%d failed)%n", floor.ordersPerSecond(), floor.failed());
        MessagingFloor.Result messaging = MessagingFloor.run(settings);
        System.out.printf("messaging floor: %.0f orders/s, RabbitMQ %.1f ms CPU per order%n",
                messaging.ordersPerSecond(), messaging.brokerCpuMsPerOrder());

        if (settings.aotTrain()) {
            AotCache.train(settings);
        }
        try (BenchSystem system = new BenchSystem(settings, settings.aotTrain() ? AotCache.Mode.USE : AotCache.Mode.OFF)) {
            system.start();
            List<String> products = system.stockProducts(settings.products(), STOCK_PER_PRODUCT);
            LoadGenerator load = new LoadGenerator(system, products);
            LoadGenerator.Result warmUp;
            LoadGenerator.Result throughput;
            LoadGenerator.Result latency;
            Map<String, Double> rss;
            Map<String, Double> cpuPerOrder;
            WorkAccount.PerOrder workPerOrder;
            try (RssSampler sampler = new RssSampler(system.services())) {
                warmUp = load.run("warm-up", settings.throughputConnections(), settings.warmUp());
                WorkAccount work = new WorkAccount(system.services());
                CpuAccount cpu = new CpuAccount(system.services());
                throughput = load.run("throughput", settings.throughputConnections(), settings.throughputDuration());
                cpuPerOrder = cpu.perOrderMs(throughput.confirmed());
                workPerOrder = work.perOrder(throughput.confirmed());
                latency = load.openLoop("latency", ArrivalSchedule.rateFor(throughput.ordersPerSecond()), settings.latencyDuration());
                rss = sampler.maxMib();
            }
            BenchInvariants invariants = new BenchInvariants(system);
            long answered = warmUp.confirmed() + throughput.confirmed() + latency.confirmed();
            List<String> violations = invariants.check(answered, (long) STOCK_PER_PRODUCT * settings.products());

            PerformanceReport report = new PerformanceReport(settings, machine, floor, messaging, warmUp.errors(), throughput, latency,
                    rss, cpuPerOrder, workPerOrder, system.startup(), violations, invariants.figures());
            report.print();
            if (settings.writeReport()) {
                report.write(settings.root().resolve("docs/performance.md"), List.of(warmUp, throughput, latency));
            }
            if (!report.missedTargets().isEmpty()) {
                throw new IllegalStateException("targets missed: " + report.missedTargets());
            }
        }
    }

    private Benchmark() {
    }
}
