package ch07_processes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * All commands are started first, each with a virtual thread of its own that reads its output
 * (standard error merged in) while it runs, so that no command ever blocks on a full pipe. Then
 * each is awaited in input order until its own deadline, its start plus the timeout, and destroyed
 * if it is still running then. Each result is built from that command's own process, reader and
 * exit time; nothing is shared between commands.
 */
public class ConcurrentCommands {

    /** One started command: its process, when it started and ended, and its output as it is read. */
    private record Running(List<String> command, Process process, long startNanos,
            CompletableFuture<Long> endNanos, CompletableFuture<String> output) {
    }

    public static List<CommandResult> runAll(List<List<String>> commands, Duration timeout) {
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        List<List<String>> input = new ArrayList<>(commands);
        for (List<String> command : input) {
            Objects.requireNonNull(command, "commands contains null");
            if (command.isEmpty()) {
                throw new IllegalArgumentException("commands contains an empty command");
            }
        }
        List<Running> running = new ArrayList<>();
        try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            boolean done = false;
            try {
                for (List<String> command : input) {
                    running.add(start(command, readers));
                }
                List<CommandResult> results = new ArrayList<>();
                for (Running command : running) {
                    results.add(await(command, timeout));
                }
                done = true;
                return results;
            } finally {
                if (!done) {
                    running.forEach(command -> destroy(command.process())); // their readers end with them
                }
            }
        }
    }

    private static Running start(List<String> command, ExecutorService readers) {
        long start = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command + ": " + e.getMessage(), e);
        }
        CompletableFuture<Long> end = process.onExit().thenApply(p -> System.nanoTime());
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process.getInputStream()), readers);
        return new Running(List.copyOf(command), process, start, end, output);
    }

    private static String read(InputStream output) {
        try (output) {
            return new String(output.readAllBytes(), Charset.defaultCharset());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CommandResult await(Running command, Duration timeout) {
        Process process = command.process();
        long deadline = command.startNanos() + timeout.toNanos();
        try {
            boolean timedOut = !process.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            long end;
            if (timedOut) {
                destroy(process);
                end = System.nanoTime();
            } else {
                end = command.endNanos().get();
            }
            return new CommandResult(command.command(), process.exitValue(), command.output().get(),
                    Duration.ofNanos(end - command.startNanos()), timedOut);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for " + command.command());
        } catch (ExecutionException e) {
            throw new UncheckedIOException("cannot read the output of " + command.command(),
                    e.getCause() instanceof UncheckedIOException io ? io.getCause() : new IOException(e.getCause()));
        }
    }

    private static void destroy(Process process) {
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
