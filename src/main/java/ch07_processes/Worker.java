package ch07_processes;

import ch06_cpu.SumOfSquares;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A worker process: a JVM of its own that computes {@link SumOfSquares#of} for whoever started it,
 * speaking a line protocol on its standard input and output, like the sources' pool processes.
 *
 * <ul>
 *   <li>It reads one number per line from standard input, computes its sum and answers with one
 *       line {@code <number> <sum> <pid>}, its own process id last, for instance {@code 4 14 81234}
 *       (0 + 1 + 4 + 9 = 14). It answers each number before it reads the next.
 *   <li>At the end of its input (the parent closed the pipe) it exits with status 0.
 *   <li>A line that is not a number is a broken protocol: it says so on standard error and exits
 *       with status 2, without answering.
 * </ul>
 *
 * Start one with {@link #command()}. It is meant to live for many numbers: starting a JVM costs far
 * more than most sums.
 */
public final class Worker {

    /** The system property of a worker JVM whose exit a test holds: the folder of {@link #holdExits}. */
    private static final String EXIT_HOLD = "threadwork.worker.exitHold";
    /** The longest a worker's exit is held: nothing waits for ever on a test that has gone. */
    private static final long HOLD_BOUND_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static volatile Path exitHold;

    private Worker() {
    }

    /** The command line that starts a worker JVM with the class path of this one. */
    public static List<String> command() {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC"));
        Path hold = exitHold;
        if (hold != null) {
            command.add("-D" + EXIT_HOLD + "=" + hold);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Worker.class.getName()));
        return List.copyOf(command);
    }

    /**
     * For the tests: the workers started from now on (null: none) hold their exit at the end of their
     * input, each marking it with a file {@code held-<pid>} in {@code folder}, until a file {@code release}
     * is there (at most 10 s), so that a test can tell "the caller waited for its workers to exit" from
     * "the caller closed their inputs", which a JVM exiting a few milliseconds later hides.
     */
    public static void holdExits(Path folder) {
        exitHold = folder;
    }

    public static void main(String[] args) throws IOException {
        long pid = ProcessHandle.current().pid();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        for (String line; (line = in.readLine()) != null; ) {
            long number;
            try {
                number = Long.parseLong(line.strip());
            } catch (NumberFormatException e) {
                System.err.println("worker " + pid + ": not a number: '" + line + "'");
                System.exit(2);
                return;
            }
            out.println(number + " " + SumOfSquares.of(number) + " " + pid);
            out.flush(); // the parent is waiting for this line
        }
        String hold = System.getProperty(EXIT_HOLD);
        if (hold != null) {
            Path folder = Path.of(hold);
            Files.createFile(folder.resolve("held-" + pid));
            long start = System.nanoTime();
            while (!Files.exists(folder.resolve("release")) && System.nanoTime() - start < HOLD_BOUND_NANOS) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        }
    }
}
