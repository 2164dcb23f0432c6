package kit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * Probes for what concurrency buys: wall time (best of several rounds after warm-up, so that a
 * second build beside us costs the solution a round, not the grade), speedup as a ratio measured
 * in one run, and the platform threads a piece of work starts.
 */
public final class Measure {

    /** Work to time; may throw. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    /** Where the grader asks for the log to go, else target/measurements.log. */
    private static final Path LOG = Path.of(System.getProperty("threadwork.measurements", "target/measurements.log"));
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Measure() {
    }

    /**
     * Appends a measurement to {@code target/measurements.log}, the record used to calibrate the
     * bounds (what the solutions and the mutants measured, run after run).
     */
    public static void log(String what, Object value) {
        String test = StackWalker.getInstance().walk(frames -> frames.skip(1)
                .filter(f -> f.getClassName().endsWith("Test")).findFirst()
                .map(f -> f.getClassName().replaceFirst(".*\\.", "") + "." + f.getMethodName()).orElse("?"));
        String line = String.format("%s %s [%s] %s: %s%n", Instant.now(), test, graded(), what, value);
        try {
            Files.writeString(LOG, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // a missing log loses a calibration figure, never a grade
        }
    }

    /** Which implementation this JVM grades, as the grader says (a mutant's name in the self-check). */
    private static String graded() {
        return System.getProperty("threadwork.graded", "as built");
    }

    /** The wall time of one run of {@code work}. */
    public static Duration time(Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The shortest of {@code rounds} timed runs, after {@code warmups} untimed ones. */
    public static Duration best(int warmups, int rounds, Work work) throws Exception {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, was " + rounds);
        }
        for (int i = 0; i < warmups; i++) {
            work.run();
        }
        Duration best = null;
        for (int i = 0; i < rounds; i++) {
            Duration round = time(work);
            if (best == null || round.compareTo(best) < 0) {
                best = round;
            }
        }
        return best;
    }

    /** Two timings from one run and how many times faster the candidate was. */
    public record Speedup(Duration baseline, Duration candidate) {

        public double ratio() {
            return (double) baseline.toNanos() / Math.max(1, candidate.toNanos());
        }

        @Override
        public String toString() {
            return String.format("%.1fx (%d ms against %d ms)", ratio(), candidate.toMillis(), baseline.toMillis());
        }
    }

    /**
     * The candidate's speedup over the baseline, in this run: the candidate runs once to warm up
     * the code both share, then the baseline is timed once and the candidate best of {@code rounds}.
     * One baseline run is enough (it is the slow one, and a slow round only makes the ratio larger,
     * for a wrong candidate as for a right one); the fast candidate is the one a busy machine can
     * spoil, so it gets several rounds.
     */
    public static Speedup speedup(Work baseline, Work candidate, int rounds) throws Exception {
        candidate.run();
        Duration baselineTime = time(baseline);
        Speedup speedup = new Speedup(baselineTime, best(0, rounds, candidate));
        recordSpeedup(speedup, null, rounds);
        return speedup;
    }

    /** A speedup for the report page: the baseline's time, the candidate's and, where one ran beside, a reference's. */
    static void recordSpeedup(Speedup speedup, Duration reference, int rounds) {
        java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("baselineMs", speedup.baseline().toNanos() / 1e6);
        data.put("candidateMs", speedup.candidate().toNanos() / 1e6);
        if (reference != null) {
            data.put("referenceMs", reference.toNanos() / 1e6);
        }
        data.put("rounds", rounds);
        Observations.record("speedup", data, 2);
    }

    /** The CPU time the calling thread has used so far, in nanoseconds (ThreadMXBean). */
    public static long currentThreadCpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /**
     * How many platform threads the JVM started while {@code work} ran (virtual threads are not
     * counted). Count only where nothing else starts threads meanwhile: the fake server and
     * {@link ObservedClient} start theirs up front.
     */
    public static long platformThreadsStarted(Work work) throws Exception {
        long before = THREADS.getTotalStartedThreadCount();
        work.run();
        return THREADS.getTotalStartedThreadCount() - before;
    }
}
