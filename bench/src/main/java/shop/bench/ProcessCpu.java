package shop.bench;

import java.time.Duration;
import java.util.Optional;

/** CPU time used so far by a process, or summed over every process whose command ends the same way. */
final class ProcessCpu {

    static final String RABBITMQ = "beam.smp";
    static final String POSTGRESQL = "/postgres";

    static Duration of(Optional<ProcessHandle> process) {
        return process.flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO);
    }

    static Duration ofThisJvm() {
        return of(Optional.of(ProcessHandle.current()));
    }

    static Duration sumOf(String commandEnding) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith(commandEnding)).orElse(false))
                .map(p -> of(Optional.of(p)))
                .reduce(Duration.ZERO, Duration::plus);
    }

    private ProcessCpu() {
    }
}
