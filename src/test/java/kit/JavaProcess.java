package kit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JVM started by a test: the same {@code java} and class path as the test's own JVM (so it runs
 * the code being graded), its output (stdout and stderr together) kept line by line with the
 * moment each line arrived, and a lifeline: its standard input is a pipe from the test JVM, and a
 * main that calls {@link #endWithParent()} halts when that pipe closes. So no child outlives the
 * test JVM, even one that dies without running its clean-up (a crash, {@code Runtime.halt}, a kill).
 *
 * <p>Thread-safe. Its output reader is a daemon thread with a plain name, counted as the kit's by
 * the leak check.
 */
public final class JavaProcess implements AutoCloseable {

    /** One line of the child's output and when the test JVM read it ({@link System#nanoTime()}). */
    public record Line(String text, long nanos) {
    }

    private final String what;
    private final Process process;
    private final List<Line> lines = new ArrayList<>(); // guarded by this
    private boolean ended; // guarded by this: the output reached its end

    private JavaProcess(String what, Process process) {
        this.what = what;
        this.process = process;
        Thread reader = KitThreads.own(new Thread(this::read));
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code mainClass} in a new JVM with the test JVM's class path.
     *
     * @param what the child in words, for messages ("worker 2", "the embedded broker")
     * @param jvmOptions options before the class name, e.g. {@code -Xmx64m}
     * @param args the arguments of its main
     */
    public static JavaProcess start(String what, String mainClass, List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8", "-cp", System.getProperty("java.class.path"),
                mainClass));
        command.addAll(args);
        try {
            return new JavaProcess(what, new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + what, e);
        }
    }

    /**
     * For the main of a child: halts this JVM as soon as its standard input ends, which happens when
     * the JVM that started it closes the pipe or dies. Call it first thing.
     */
    public static void endWithParent() {
        Thread lifeline = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // nothing is ever sent: the pipe only tells that the parent is alive
                }
            } catch (IOException e) {
                // a broken pipe means the same as its end
            }
            Runtime.getRuntime().halt(0);
        });
        lifeline.setDaemon(true);
        lifeline.start();
    }

    private void read() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String text;
            while ((text = out.readLine()) != null) {
                Line line = new Line(text, System.nanoTime());
                synchronized (this) {
                    lines.add(line);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the process is gone: its output ends here
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    public String what() {
        return what;
    }

    public long pid() {
        return process.pid();
    }

    /** The CPU time the process has used so far, where the system tells (else zero). */
    public Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Every line of output so far. */
    public synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    /**
     * Waits at most {@code bound} for a line of output (seen before or arriving later) that matches:
     * that line, or empty if the bound passed or the output ended without one.
     */
    public Optional<Line> awaitLine(Predicate<String> matches, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        int seen = 0;
        synchronized (this) {
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (matches.test(lines.get(seen).text())) {
                        return Optional.of(lines.get(seen));
                    }
                }
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    return Optional.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    /** The last {@code count} lines of output, indented, for a failure message; "(no output)" if none. */
    public synchronized String tail(int count) {
        if (lines.isEmpty()) {
            return "    (no output)";
        }
        StringBuilder out = new StringBuilder();
        for (Line line : lines.subList(Math.max(0, lines.size() - count), lines.size())) {
            out.append(out.isEmpty() ? "" : "\n").append("    ").append(line.text());
        }
        return out.toString();
    }

    /** Kills the process at once (SIGKILL: no clean-up runs in it) and waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(what + " (pid " + pid() + ") is still there 10 s after it was killed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    @Override
    public String toString() {
        return what + " (pid " + pid() + ")";
    }
}
