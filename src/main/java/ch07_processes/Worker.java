package ch07_processes;

import ch06_cpu.SumOfSquares;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

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

    private Worker() {
    }

    /** The command line that starts a worker JVM with the class path of this one. */
    public static List<String> command() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Worker.class.getName());
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
    }
}
