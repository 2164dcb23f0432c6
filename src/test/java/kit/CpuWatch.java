package kit;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Watches what CPU-bound work does with the CPUs while it runs: how much CPU time each thread used,
 * how often two or more of them were running at the same moment, and how much of their CPU time
 * can only have been spent on two CPUs at once. Nothing is asked of the code under test: a sampler
 * thread of the kit reads every live thread's CPU time ({@link ThreadMXBean}) and state about every
 * millisecond; a thread that ends between two samples loses at most its last millisecond.
 *
 * <p>Two views, for two kinds of machine. "At the same time" (two threads RUNNABLE in one sample)
 * is what the program does, and shows on one CPU as on two: the operating system then takes turns
 * between them. "In parallel" ({@link Observed#parallelNanos()}: more CPU time between two samples
 * than wall time between them) can only happen on two CPUs or more, and is proof of it, even on a
 * machine that another build keeps half busy: it is counted only in the moments it happened.
 */
public final class CpuWatch {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long PERIOD_NANOS = 1_000_000;

    private CpuWatch() {
    }

    /** One thread's part in the work: the CPU time it used while the work ran, and its name then. */
    public record ThreadUse(Thread thread, String name, long cpuNanos) {

        /** The fork/join pool the thread is a worker of, or null. */
        public ForkJoinPool pool() {
            return thread instanceof ForkJoinWorkerThread worker ? worker.getPool() : null;
        }

        @Override
        public String toString() {
            return String.format("'%s' %d ms", name, cpuNanos / 1_000_000);
        }
    }

    /**
     * One reading of every live thread: the CPU time each had used, which were RUNNABLE, and the
     * clock just before and just after the reading.
     */
    record Sample(long startNanos, long endNanos, Map<Thread, Long> cpu, Set<Thread> runnable, Set<Thread> blocked) {
    }

    /** What was seen while the work ran. */
    public static final class Observed {

        private final Duration wall;
        private final List<ThreadUse> threads;
        private final List<Sample> samples;

        Observed(Duration wall, List<ThreadUse> threads, List<Sample> samples) {
            this.wall = wall;
            this.threads = threads;
            this.samples = samples;
        }

        public Duration wall() {
            return wall;
        }

        public List<ThreadUse> threads() {
            return threads;
        }

        /** CPU time used by all the threads (the kit's sampler excepted) while the work ran. */
        public long cpuNanos() {
            return threads.stream().mapToLong(ThreadUse::cpuNanos).sum();
        }

        /** CPUs kept busy on average: CPU time over wall time. */
        public double busyCpus() {
            return (double) cpuNanos() / Math.max(1, wall.toNanos());
        }

        /**
         * CPU time that can only have been spent on two CPUs or more at once: between each two
         * readings, what the threads used beyond the wall time that passed from the start of the
         * first reading to the end of the second (nothing, on one CPU, however the threads took turns).
         */
        public long parallelNanos() {
            long parallel = 0;
            for (int i = 1; i < samples.size(); i++) {
                Sample before = samples.get(i - 1);
                Sample after = samples.get(i);
                long used = 0;
                for (Map.Entry<Thread, Long> reading : after.cpu().entrySet()) {
                    used += reading.getValue() - before.cpu().getOrDefault(reading.getKey(), 0L);
                }
                parallel += Math.max(0, used - (after.endNanos() - before.startNanos()));
            }
            return parallel;
        }

        /** {@link #parallelNanos()} over the wall time: 0 when nothing ran in parallel, up to 1 on two CPUs. */
        public double parallelShare() {
            return (double) parallelNanos() / Math.max(1, wall.toNanos());
        }

        /** The threads that did at least {@code minShare} of all the CPU time used, the busiest first. */
        public List<ThreadUse> computing(double minShare) {
            long total = Math.max(1, cpuNanos());
            return threads.stream().filter(t -> t.cpuNanos() >= minShare * total)
                    .sorted(Comparator.comparingLong(ThreadUse::cpuNanos).reversed()).toList();
        }

        /** The largest share of all the CPU time that one thread used, from 0 to 1. */
        public double largestShare() {
            long total = Math.max(1, cpuNanos());
            return threads.stream().mapToLong(ThreadUse::cpuNanos).max().orElse(0) / (double) total;
        }

        /**
         * Of the samples in which any of {@code among} was RUNNABLE, the fraction in which two or more
         * of them were: 0 when they took turns, close to 1 when they ran at the same time.
         */
        public double atTheSameTime(Collection<ThreadUse> among) {
            Set<Thread> watched = threadsOf(among);
            long busy = samples.stream().filter(s -> running(s, watched) >= 1).count();
            return busy == 0 ? 0 : (double) together(watched) / busy;
        }

        /**
         * How much of the time they could have run together {@code among} did run together: samples
         * with two or more of them RUNNABLE, over the samples in which the second most often RUNNABLE
         * of them was. Close to 0 when they took turns, whatever their shares; close to 1 when the
         * less busy ones ran while the busiest did, even if they had less to do.
         */
        public double overlap(Collection<ThreadUse> among) {
            Set<Thread> watched = threadsOf(among);
            List<Long> counts = watched.stream()
                    .map(t -> samples.stream().filter(s -> s.runnable().contains(t)).count())
                    .sorted(Comparator.reverseOrder()).toList();
            return counts.size() < 2 || counts.get(1) == 0 ? 0 : (double) together(watched) / counts.get(1);
        }

        private long together(Set<Thread> watched) {
            return samples.stream().filter(s -> running(s, watched) >= 2).count();
        }

        private static long running(Sample sample, Set<Thread> watched) {
            return sample.runnable().stream().filter(watched::contains).count();
        }

        private static Set<Thread> threadsOf(Collection<ThreadUse> uses) {
            return uses.stream().map(ThreadUse::thread).collect(Collectors.toSet());
        }

        /**
         * A timeline per busy thread for the report page ({@link Observations}): one letter per
         * column of equal wall time, R running on a CPU, r runnable without CPU time, B blocked on
         * a lock, W waiting or sleeping, space not alive.
         */
        void record() {
            if (samples.size() < 2) {
                return;
            }
            int columns = Math.min(200, samples.size() - 1);
            long zero = samples.get(0).startNanos();
            long span = Math.max(1, samples.get(samples.size() - 1).endNanos() - zero);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ThreadUse use : computing(0.01).stream().limit(8).toList()) {
                char[] line = new char[columns];
                java.util.Arrays.fill(line, ' ');
                for (int i = 1; i < samples.size(); i++) {
                    Sample before = samples.get(i - 1);
                    Sample now = samples.get(i);
                    Long cpu = now.cpu().get(use.thread());
                    if (cpu == null) {
                        continue;
                    }
                    char state = now.runnable().contains(use.thread())
                            ? (cpu > before.cpu().getOrDefault(use.thread(), cpu) ? 'R' : 'r')
                            : now.blocked().contains(use.thread()) ? 'B' : 'W';
                    int column = (int) Math.min(columns - 1, (now.startNanos() - zero) * columns / span);
                    if (line[column] != 'R') { // a column shows the busiest moment in it
                        line[column] = state;
                    }
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", use.name().length() > 60 ? use.name().substring(0, 60) : use.name());
                row.put("cpuMs", use.cpuNanos() / 1_000_000);
                row.put("states", new String(line));
                rows.add(row);
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("wallMs", wall.toMillis());
            data.put("cpuMs", cpuNanos() / 1_000_000);
            data.put("parallelShare", Math.round(parallelShare() * 100) / 100.0);
            data.put("threads", rows);
            Observations.record("threads", data, 1);
        }

        /** The busiest threads with their CPU time, for a failure message. */
        public String describe() {
            List<ThreadUse> busiest = computing(0.01);
            String list = busiest.stream().limit(6).map(ThreadUse::toString).collect(Collectors.joining(", "));
            return String.format("%d ms of CPU time in %d ms: %s%s", cpuNanos() / 1_000_000, wall.toMillis(),
                    busiest.isEmpty() ? "no thread computed" : list, busiest.size() > 6 ? ", ..." : "");
        }
    }

    /** Runs {@code work} on the caller's thread and watches every thread of the JVM meanwhile. */
    public static Observed observe(Measure.Work work) throws Exception {
        Sampler sampler = new Sampler();
        Thread thread = new Thread(sampler); // a default name: the code under test cannot tell it apart
        thread.setDaemon(true);
        sampler.self = thread;
        Sample first = sampler.sample(); // the CPU time every live thread had used before
        thread.start();
        long start = System.nanoTime();
        try {
            work.run();
        } finally {
            long wall = System.nanoTime() - start;
            sampler.stop = true;
            thread.join();
            sampler.samples.add(sampler.sample()); // the last CPU time of the threads still alive
            sampler.result = sampler.result(Duration.ofNanos(wall), first);
            sampler.result.record();
        }
        return sampler.result;
    }

    /**
     * The best rounds of {@link #mostParallel}: the candidate's, and the reference's in the same rounds,
     * with how many of the reference's rounds reached what was asked.
     */
    public record MostParallel(Observed candidate, Observed reference, int reached) {
    }

    /**
     * Observes {@code work} and a {@code reference} (the same work in parallel, known to be right)
     * in turns, after one warm-up run of each, for up to {@code patience}, and returns the round of
     * each with the most CPU time spent in parallel, stopping at the first in which the work's {@link
     * Observed#parallelShare()} reaches {@code enough}. Another build beside the tests leaves both
     * CPUs free only now and then: it costs rounds, not the grade, and the reference says what the
     * machine allowed. Work that never runs in parallel has nothing to find and uses all the patience.
     */
    public static MostParallel mostParallel(Duration patience, double enough, Measure.Work work, Measure.Work reference)
            throws Exception {
        work.run();
        reference.run();
        long deadline = System.nanoTime() + patience.toNanos();
        Observed best = null;
        Observed bestReference = null;
        int reached = 0;
        do {
            Observed round = observe(work);
            if (best == null || round.parallelShare() > best.parallelShare()) {
                best = round;
            }
            Observed referenceRound = observe(reference);
            if (bestReference == null || referenceRound.parallelShare() > bestReference.parallelShare()) {
                bestReference = referenceRound;
            }
            reached += referenceRound.parallelShare() >= enough ? 1 : 0;
        } while (best.parallelShare() < enough && System.nanoTime() < deadline);
        best.record(); // the round the verdict is made from
        return new MostParallel(best, bestReference, reached);
    }

    /** Reads every live thread's CPU time and state, every {@link #PERIOD_NANOS}, until stopped. */
    private static final class Sampler implements Runnable {

        final List<Sample> samples = new ArrayList<>();
        volatile boolean stop;
        Thread self;
        Observed result;
        private Thread[] buffer = new Thread[64];

        @Override
        public void run() {
            while (!stop) {
                samples.add(sample());
                LockSupport.parkNanos(PERIOD_NANOS);
            }
        }

        Sample sample() {
            long start = System.nanoTime();
            Map<Thread, Long> cpu = new HashMap<>();
            Set<Thread> runnable = new HashSet<>();
            Set<Thread> blocked = new HashSet<>();
            for (Thread thread : liveThreads()) {
                if (thread == self) {
                    continue;
                }
                long nanos = THREADS.getThreadCpuTime(thread.threadId());
                if (nanos < 0) {
                    continue; // ended meanwhile: it keeps what it had used at the last reading
                }
                cpu.put(thread, nanos);
                Thread.State state = thread.getState();
                if (state == Thread.State.RUNNABLE) {
                    runnable.add(thread);
                } else if (state == Thread.State.BLOCKED) {
                    blocked.add(thread);
                }
            }
            return new Sample(start, System.nanoTime(), cpu, runnable, blocked);
        }

        private List<Thread> liveThreads() {
            ThreadGroup root = Thread.currentThread().getThreadGroup();
            while (root.getParent() != null) {
                root = root.getParent();
            }
            int n;
            while ((n = root.enumerate(buffer, true)) == buffer.length) {
                buffer = new Thread[buffer.length * 2];
            }
            return Arrays.asList(buffer).subList(0, n);
        }

        /** Each thread's CPU time from {@code first} to its last reading. */
        Observed result(Duration wall, Sample first) {
            Map<Thread, Long> last = new LinkedHashMap<>();
            samples.forEach(sample -> last.putAll(sample.cpu()));
            List<ThreadUse> uses = new ArrayList<>();
            last.forEach((thread, nanos) -> {
                long used = nanos - first.cpu().getOrDefault(thread, 0L);
                if (used > 0) {
                    uses.add(new ThreadUse(thread, thread.getName(), used));
                }
            });
            List<Sample> all = new ArrayList<>();
            all.add(new Sample(first.startNanos(), first.endNanos(), first.cpu(), Set.of(), Set.of()));
            all.addAll(samples);
            return new Observed(wall, List.copyOf(uses), List.copyOf(all));
        }
    }
}
