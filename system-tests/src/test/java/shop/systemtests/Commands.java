package shop.systemtests;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs a command-line tool to its end (psql, pgbench, rabbitmqctl, tar, ...): exit code and output, stderr folded in. */
public final class Commands {

    public record Result(int exit, String output) {
        public boolean ok() {
            return exit == 0;
        }
    }

    /** Runs {@code command} in {@code dir} (null: this process's), handing each output line to {@code onLine}. */
    public static Result run(List<String> command, Path dir, Duration timeout, Consumer<String> onLine) {
        return run(command, dir, timeout, Map.of(), onLine);
    }

    /** Like {@link #run(List, Path, Duration, Consumer)}, with {@code env} added to this process's environment. */
    public static Result run(List<String> command, Path dir, Duration timeout, Map<String, String> env) {
        return run(command, dir, timeout, env, line -> { });
    }

    private static Result run(List<String> command, Path dir, Duration timeout, Map<String, String> env, Consumer<String> onLine) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        try {
            Process process = builder.start();
            // bounded even while it still writes: a hanging tool is killed, which ends the read below
            CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                if (process.isAlive()) {
                    process.destroyForcibly();
                }
            });
            StringBuilder output = new StringBuilder();
            try (BufferedReader reader = process.inputReader(StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.append(line).append('\n');
                    onLine.accept(line);
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Result(-1, output + "(timed out after " + timeout + ")");
            }
            return new Result(process.exitValue(), output.toString());
        } catch (IOException e) {
            return new Result(-1, "cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    public static Result run(String... command) {
        return run(List.of(command), null, Duration.ofMinutes(10), line -> { });
    }

    /** The output of a command that must succeed; otherwise an exception that carries its output. */
    public static String require(String... command) {
        Result result = run(command);
        if (!result.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + result.exit() + "):\n" + result.output());
        }
        return result.output();
    }

    private Commands() {
    }
}
