package kit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

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
     * The candidate's speedup over the baseline, in this run, beside a {@code reference}'s (the same
     * work done concurrently by the kit): the candidate and the reference run once to warm up the
     * code they share, then the baseline is timed once and the candidate and the reference take
     * turns for {@code rounds}, and for as many again while the candidate's ratio is close below
     * {@code enough} (past half of it: a mistake sits far lower and gets no more), each ratio from
     * its best round. One baseline run is enough (it is the slow one,
     * and a slow round only makes the ratios larger, for a wrong candidate as for a right one); the
     * fast ones are those a busy machine can spoil, so they get several rounds.
     */
    public static AgainstReference speedup(Work baseline, Work candidate, Work reference, int rounds, double enough)
            throws Exception {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, was " + rounds);
        }
        candidate.run();
        reference.run();
        Duration baselineTime = time(baseline);
        Duration best = null;
        java.util.List<Duration> referenceRounds = new java.util.ArrayList<>();
        int done = 0;
        while (done < rounds || (done < 2 * rounds && close(new Speedup(baselineTime, best).ratio(), enough))) {
            Duration round = time(candidate);
            best = best == null || round.compareTo(best) < 0 ? round : best;
            referenceRounds.add(time(reference));
            done++;
        }
        Duration bestReference = java.util.Collections.min(referenceRounds);
        AgainstReference measured = new AgainstReference(new Speedup(baselineTime, best),
                new Speedup(baselineTime, bestReference), done, reached(baselineTime, referenceRounds, enough));
        recordSpeedup(measured.candidate(), bestReference, done);
        return measured;
    }

    private static boolean close(double ratio, double enough) {
        return ratio < enough && ratio >= enough / 2;
    }

    /** How many of the reference's {@code rounds} were at least {@code enough} times faster than {@code baseline}. */
    private static int reached(Duration baseline, java.util.List<Duration> rounds, double enough) {
        return (int) rounds.stream().filter(r -> new Speedup(baseline, r).ratio() >= enough).count();
    }

    /**
     * A speedup measured by {@link #speedup}: the candidate's, and in the same rounds a reference's,
     * parallel code known to be right, which shows what the machine allowed; {@code reached} counts
     * the reference's rounds that reached the speedup asked for.
     */
    public record AgainstReference(Speedup candidate, Speedup reference, int rounds, int reached) {

        @Override
        public String toString() {
            return candidate + ", best of " + rounds + " rounds each; a reference in the same rounds: " + reference
                    + ", enough in " + reached + " of them";
        }
    }

    /**
     * The speedup of {@code candidate} over {@code baseline}, measured in this run, beside
     * that of a {@code reference} that does the same work in parallel and is known to be right: after
     * one warm-up run of each, the three take turns for up to {@code patience}, and each ratio is the
     * baseline's best time over the best time of the other; it stops early, after three rounds, once
     * the candidate's ratio reaches {@code enough}. All get their best moment, so a burst of load
     * beside the tests favours none; the reference says how much speedup the machine allowed. Keep
     * rounds short (tens of milliseconds): a short round is likelier to find the CPUs free.
     */
    public static AgainstReference speedup(Work baseline, Work candidate, Work reference,
            Duration patience, double enough) throws Exception {
        baseline.run();
        candidate.run();
        reference.run();
        long deadline = System.nanoTime() + patience.toNanos();
        Duration[] best = new Duration[3];
        Work[] works = {baseline, candidate, reference};
        java.util.List<Duration> referenceRounds = new java.util.ArrayList<>();
        int rounds = 0;
        do {
            for (int i = 0; i < works.length; i++) {
                Duration time = time(works[i]);
                best[i] = best[i] == null || time.compareTo(best[i]) < 0 ? time : best[i];
                if (works[i] == reference) {
                    referenceRounds.add(time);
                }
            }
            rounds++;
        } while (rounds < 3 || (new Speedup(best[0], best[1]).ratio() < enough && System.nanoTime() < deadline));
        recordSpeedup(new Speedup(best[0], best[1]), best[2], rounds);
        return new AgainstReference(new Speedup(best[0], best[1]), new Speedup(best[0], best[2]), rounds,
                reached(best[0], referenceRounds, enough));
    }


    /** What code that does not overlap its work reaches: a speedup of 1 (for {@link #judge}'s {@code none}). */
    public static final double NO_SPEEDUP = 1.0;
    /** What code that never computes on two CPUs at once reaches: a share of 0 (for {@link #judge}). */
    public static final double NO_SHARE = 0.0;

    /**
     * How many rounds in which the kit's own reference reached what is asked a check of many rounds
     * needs before it fails a candidate that reached it in none: a right candidate that reaches it
     * whenever two CPUs are free misses all its rounds, when the reference hit k of as many, with a
     * chance near e^-k (CALIBRATION.md, "A busy machine").
     */
    public static final int SHOWN = 5;

    /**
     * The verdict of a {@link Timed} check, which other programs on the machine can spoil: it passes
     * when the candidate reached {@code needed}; it fails when it did not although the kit's own
     * reference reached it in the same rounds (the machine could show it) and the candidate came
     * nearer to {@code none}, what code without the technique reaches, than both to the reference and
     * to {@code needed} (a reference's one lucky round on a busy machine does not make a right
     * candidate's unlucky best a mistake); otherwise
     * the machine was too busy to tell a slower right style from a wrong one (CALIBRATION.md, "A busy
     * machine"), and the test is not graded ({@link TooBusy}). For checks of a few rounds each
     * long enough to show what the machine allowed (fake-server waits, whole calls); checks of many
     * short rounds say how many of the reference's reached {@code needed}.
     *
     * @param none what the mistakes the check targets reach ({@link #NO_SPEEDUP}, {@link #NO_SHARE})
     * @param failure what to say when it fails: what was seen and the likely mistake
     * @param seen what was measured, in words, for the not-graded report
     */
    public static void judge(double candidate, double reference, double needed, double none, Supplier<String> failure,
            String seen) {
        judge(candidate, reference, SHOWN, needed, none, failure, seen);
    }

    /**
     * {@link #judge(double, double, double, double, Supplier, String)} for a check of many short
     * rounds, the best of each compared: the reference's best may be one lucky round on a busy
     * machine, so the candidate fails only when {@code reached}, the reference's rounds that reached
     * {@code needed}, are at least {@link #SHOWN}.
     */
    public static void judge(double candidate, double reference, int reached, double needed, double none,
            Supplier<String> failure, String seen) {
        if (candidate >= needed) {
            return;
        }
        if (reference >= needed && reached >= SHOWN && candidate < (none + reference) / 2
                && candidate < (none + needed) / 2) {
            throw new AssertionError(failure.get());
        }
        throw new TooBusy(reference < needed
                ? String.format("the kit's own reference reached only %.2f where %.2f is needed (%s)", reference, needed, seen)
                : reached < SHOWN
                ? String.format("the kit's own reference reached the %.2f needed in only %d round%s, fewer than the %d that"
                        + " show two free CPUs: the machine was seldom free (%s)", needed, reached, reached == 1 ? "" : "s",
                        SHOWN, seen)
                : String.format("the kit's own reference reached %.2f, past the %.2f needed, and this code %.2f, nearer"
                        + " to one of them than to the %.2f of code without the technique: too close to tell (%s)",
                        reference, needed, candidate, none, seen));
    }

    /**
     * Runs each part on a platform thread of its own, all at once, waits for them all, then throws
     * the first part's failure, if any, on the calling thread: the kit's own parallel code (a
     * reference, a model-checking scenario).
     */
    public static void inParallel(Work... parts) {
        Throwable[] failures = new Throwable[parts.length];
        Thread[] threads = new Thread[parts.length];
        for (int i = 0; i < parts.length; i++) {
            int index = i;
            threads[i] = new Thread(() -> {
                try {
                    parts[index].run();
                } catch (Throwable t) {
                    failures[index] = t;
                }
            });
        }
        for (Thread thread : threads) {
            thread.start();
        }
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true; // the parts are the kit's own and end by themselves
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (Throwable failure : failures) {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
        }
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

    /** The CPU time {@code thread} has used so far, in nanoseconds (ThreadMXBean); -1 once it has ended. */
    public static long cpuNanos(Thread thread) {
        return THREADS.getThreadCpuTime(thread.threadId());
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
