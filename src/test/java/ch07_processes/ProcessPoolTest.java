package ch07_processes;

import static org.assertj.core.api.Assertions.assertThat;

import ch06_cpu.SumOfSquares;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import kit.Arguments;
import kit.Eventually;
import kit.Exercise;
import kit.KitExtension;
import kit.Measure;
import kit.Points;
import kit.Threads;
import kit.Timed;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Exercise(19)
class ProcessPoolTest {

    /** How long a child may take to be gone after map returned: waitFor() makes it none. */
    private static final Duration GONE = Duration.ofSeconds(1);
    /** How long a worker's exit is held for a map that waits for it other than by waitFor(). */
    private static final Duration LET_GO = Duration.ofSeconds(3);
    /** How soon a dead worker must be reported. */
    private static final Duration AT_ONCE = Duration.ofSeconds(3);
    /** Far more than the solution needs, even starting JVMs on a busy machine. */
    private static final Duration BOUND = Duration.ofSeconds(10);
    /** For seconds of computing: what a machine shared with other builds may need. */
    private static final Duration BUSY_BOUND = Duration.ofSeconds(90);

    /** Two children computing at once spend most of their CPU time together; fed one after the other, little. */
    private static final double TOGETHER = 0.5;
    /** Six numbers of a few tenths of a second each: children starting up and taking turns are a small part of it. */
    private static final int LARGE = 6;

    /** {@code count} random numbers, each small enough to take a child a few milliseconds. */
    private static List<Long> numbers(SplittableRandom random, int count) {
        List<Long> numbers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            numbers.add(random.nextLong(1_000_000, 5_000_000));
        }
        return numbers;
    }

    /** Checks each result against the number at its index and the sequential sum. */
    private static void assertResults(String call, List<Long> numbers, List<WorkResult> results) {
        assertThat(results).as("results of %s", call).hasSameSizeAs(numbers);
        List<Long> answered = results.stream().map(WorkResult::number).toList();
        if (!answered.equals(numbers) && answered.stream().sorted().toList().equals(numbers.stream().sorted().toList())) {
            throw new AssertionError(call + " returned the results out of input order: the numbers were " + numbers
                    + ", the results are for " + answered + ". Results must follow the numbers, not the order the"
                    + " workers answered in: store each answer at its number's index");
        }
        for (int i = 0; i < numbers.size(); i++) {
            assertThat(results.get(i).number()).as("%s: the number of result %d", call, i).isEqualTo(numbers.get(i));
            assertThat(results.get(i).sum()).as("%s: the sum of %d", call, numbers.get(i))
                    .isEqualTo(SumOfSquares.of(numbers.get(i)));
        }
    }

    /** map, on a thread of its own, failing if it is not done within {@link #BOUND}. */
    private static List<WorkResult> mapWithin(ProcessPool pool, List<Long> numbers, String hang) throws Exception {
        return mapWithin(numbers, () -> pool.map(numbers), hang);
    }

    /** {@code map}, a call of map(numbers), on a thread of its own, failing if it is not done within {@link #BOUND}. */
    private static List<WorkResult> mapWithin(List<Long> numbers, Callable<List<WorkResult>> map, String hang)
            throws Exception {
        return mapWithin(numbers, map, BOUND, hang);
    }

    /** {@code map} on a thread of its own, failing if it is not done within {@code bound}. */
    private static List<WorkResult> mapWithin(List<Long> numbers, Callable<List<WorkResult>> map, Duration bound, String hang)
            throws Exception {
        Optional<List<WorkResult>> results = Threads.callWithin(bound, map);
        return results.orElseThrow(() -> new AssertionError("map(" + numbers.size() + " numbers) was not done after "
                + bound.toSeconds() + " s: " + hang));
    }

    @Test
    @Order(1)
    @Points(2)
    @DisplayName("every number's sum, in the order of the numbers, for 1 and 3 processes")
    void resultsInInputOrder() throws Exception {
        SplittableRandom random = new SplittableRandom();
        try (ChildProcesses children = new ChildProcesses()) {
            List<Long> numbers = new ArrayList<>(List.of(random.nextLong(60_000_000, 80_000_000)));
            numbers.addAll(numbers(random, 11)); // the first number is by far the largest: its answer comes last
            assertResults("map(12 numbers) with 3 processes", numbers, mapWithin(new ProcessPool(3), numbers,
                    "does every worker get numbers, and is each answer read?"));
            List<Long> few = numbers(random, 3);
            assertResults("map(3 numbers) with 1 process", few, mapWithin(new ProcessPool(1), few,
                    "does the one worker get every number in turn?"));
        }
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("the sums come from child JVMs: 2 of them for 10 numbers, each reused, none of them this JVM")
    void computedByReusedChildren() throws Exception {
        List<Long> numbers = numbers(new SplittableRandom(), 10);
        try (ChildProcesses children = new ChildProcesses()) {
            List<WorkResult> results = mapWithin(new ProcessPool(2), numbers, "does every worker get numbers?");
            assertResults("map(10 numbers) with 2 processes", numbers, results);
            Set<Long> started = children.children().stream().map(ChildProcesses.Child::pid).collect(Collectors.toSet());
            Set<Long> answering = results.stream().map(WorkResult::pid).collect(Collectors.toSet());
            assertThat(answering).as("pids in the results: a result computed in this JVM (pid %d) is no child's",
                    ProcessHandle.current().pid()).doesNotContain(ProcessHandle.current().pid());
            assertThat(started).as("child processes this JVM started during map(10 numbers) with 2 processes: a JVM"
                    + " takes far longer to start than a sum; start 2 workers and give each many numbers, not one"
                    + " per number").hasSizeLessThanOrEqualTo(2);
            assertThat(answering).as("pids of the workers that answered for 10 numbers with 2 processes: only one"
                    + " child computed everything; give every worker numbers (a thread per worker that feeds it)")
                    .hasSize(2);
            assertThat(started).as("child processes seen running during map: every pid in the results must be"
                    + " one of them (the pid the worker answers with)").containsAll(answering);
        }
    }

    @Test
    @Order(3)
    @Points(2)
    @Timed
    @Timeout(120)
    @DisplayName("6 large numbers on 2 processes: both children compute at the same time, seen in their CPU time")
    void childrenComputeAtTheSameTime() throws Exception {
        SplittableRandom random = new SplittableRandom();
        List<Long> numbers = new ArrayList<>();
        for (int i = 0; i < LARGE; i++) {
            numbers.add(random.nextLong(600_000_000L, 700_000_000L));
        }
        double together;
        String used;
        try (ChildProcesses children = ChildProcesses.watchingCpu()) {
            assertResults("map(6 large numbers) with 2 processes", numbers, mapWithin(numbers,
                    () -> new ProcessPool(2).map(numbers), BUSY_BOUND, "does every worker get numbers?"));
            together = children.computedTogether();
            used = children.cpuUsed();
        }
        Measure.log("two children", String.format("computed together %.2f of their CPU time (%s)", together, used));
        if (together >= TOGETHER) {
            return;
        }
        double reference = referenceComputedTogether(numbers);
        Measure.log("two children, the kit's reference", String.format("computed together %.2f", reference));
        Measure.judge(together, reference, TOGETHER, Measure.NO_SHARE, () -> String.format("the 2 children spent %.0f%% of their CPU time"
                + " (%s) computing at the same time, where the kit's own pool of 2, fed by a thread per child, spent %.0f%%:"
                + " they computed one after the other. Is each number written and its answer read by the caller, one"
                + " worker after the other? Give every worker a thread of its own that feeds it, so that all compute at"
                + " once", 100 * together, used, 100 * reference), String.format("the children computed together %.0f%%"
                + " of their CPU time, the kit's pool %.0f%%", 100 * together, 100 * reference));
    }

    /** What the kit's own pool shows for {@code numbers}: 2 workers, each fed by a thread of its own. */
    private static double referenceComputedTogether(List<Long> numbers) throws Exception {
        try (ChildProcesses children = ChildProcesses.watchingCpu()) {
            List<Process> workers = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    workers.add(new ProcessBuilder(Worker.command()).redirectError(ProcessBuilder.Redirect.INHERIT).start());
                }
                AtomicInteger next = new AtomicInteger();
                Measure.inParallel(workers.stream().<Measure.Work>map(worker -> () -> {
                    Writer to = new OutputStreamWriter(worker.getOutputStream(), StandardCharsets.UTF_8);
                    BufferedReader from = new BufferedReader(new InputStreamReader(worker.getInputStream(),
                            StandardCharsets.UTF_8));
                    for (int i = next.getAndIncrement(); i < numbers.size(); i = next.getAndIncrement()) {
                        to.write(numbers.get(i) + "\n");
                        to.flush();
                        if (from.readLine() == null) {
                            throw new IllegalStateException("the kit's own worker died");
                        }
                    }
                    to.close();
                }).toArray(Measure.Work[]::new));
                for (Process worker : workers) {
                    worker.waitFor();
                }
            } finally {
                workers.forEach(Process::destroyForcibly);
            }
            return children.computedTogether();
        }
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("20,000 numbers through 2 children: every answer, though they fill a pipe many times over")
    void manyNumbersDoNotFillThePipes() throws Exception {
        // Long numbers of nothing (n < 0: the sum of nothing, 0): cheap to compute, 20 bytes each way.
        // A pipe holds 64 KB: a few thousand of them, in either direction.
        SplittableRandom random = new SplittableRandom();
        List<Long> numbers = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            numbers.add(i % 100 == 0 ? random.nextLong(1_000) : random.nextLong(Long.MIN_VALUE, -1_000_000_000_000_000_000L));
        }
        try (ChildProcesses children = new ChildProcesses()) {
            long start = System.nanoTime();
            List<WorkResult> results = mapWithin(new ProcessPool(2), numbers, "were all of a worker's numbers written"
                    + " before any answer was read? A pipe holds only 64 KB: a worker whose answers nobody reads"
                    + " stops, then stops reading its numbers, and the writer waits for ever. Read each answer before"
                    + " writing the next number (or read on another thread while writing)");
            Measure.log("20,000 numbers", (System.nanoTime() - start) / 1_000_000 + " ms");
            assertResults("map(20,000 numbers) with 2 processes", numbers, results);
        }
    }

    @Test
    @Order(5)
    @Points(2)
    @DisplayName("no child is left running when map returns: every worker has exited")
    void noChildLeftRunning() throws Exception {
        List<Long> numbers = numbers(new SplittableRandom(), 6);
        try (ChildProcesses children = new ChildProcesses(); WorkerExitHold exits = new WorkerExitHold()) {
            AtomicReference<List<ChildProcesses.Child>> aliveAtReturn = new AtomicReference<>();
            Threads.Call<List<WorkResult>> map = Threads.start(() -> {
                List<WorkResult> results = new ProcessPool(2).map(numbers);
                aliveAtReturn.set(children.alive()); // the moment map returned
                return results;
            });
            // A worker whose input has ended stays alive until map waits for it (or has had LET_GO to).
            exits.releaseWhenWaitedFor(map::isDone, LET_GO, BOUND);
            assertResults("map(6 numbers) with 2 processes", numbers, map.await(BOUND).orElseThrow(() ->
                    new AssertionError("map(6 numbers) was not done after " + BOUND.toSeconds() + " s: does every"
                            + " worker get numbers, and does its input get closed?")));
            assertThat(children.children()).as("child processes started by map").isNotEmpty();
            assertThat(aliveAtReturn.get()).as("workers still running at the moment map returned: close each worker's"
                    + " input (a worker exits at the end of its input) and waitFor() it before returning; closing"
                    + " its input alone does not wait for it to exit").isEmpty();
            Eventually.within(GONE, "workers still running after map returned: close each worker's input (a worker"
                    + " exits at the end of its input) and waitFor() it before returning",
                    () -> assertThat(children.alive()).isEmpty());
        }
    }

    @Test
    @Order(6)
    @Points(2)
    @DisplayName("a worker killed while computing: an exception naming its number, at once, and no child left")
    void killedWorkerIsReported() throws Exception {
        // Two numbers that take a worker seconds: each worker is busy with one of them when the test kills one.
        long first = 20_000_000_000L;
        long second = 20_000_000_001L;
        List<Long> numbers = List.of(first, second, 7L, 8L, 9L);
        ProcessPool pool = new ProcessPool(2);
        try (ChildProcesses children = new ChildProcesses()) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    pool.map(numbers);
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            Eventually.within(BOUND, "map(2 numbers that take seconds, then 3 small ones) with 2 processes did not"
                    + " start 2 child processes", () -> assertThat(children.alive().size() == 2 || !caller.isAlive())
                            .isTrue());
            if (!caller.isAlive()) {
                Arguments.unlessTodo(thrown.get());
                throw new AssertionError("map(2 numbers that take seconds, then 3 small ones) returned before its"
                        + " workers could have computed them", thrown.get());
            }
            long killed = System.nanoTime();
            children.alive().get(0).handle().destroyForcibly();
            caller.join(AT_ONCE);
            if (caller.isAlive()) {
                KitExtension.requestFreshJvm("map hangs after its workers were killed");
                throw new AssertionError("map still had not returned " + AT_ONCE.toSeconds() + " s after one of its"
                        + " workers was killed: a dead worker's output ends (readLine() returns null, a write fails); report it"
                        + " at once instead of waiting for an answer that cannot come, and destroy the other workers"
                        + " rather than wait for them to finish their numbers");
            }
            Duration took = Duration.ofNanos(System.nanoTime() - killed);
            assertThat(thrown.get()).as("what map threw when one of its workers was killed while computing %d or %d",
                    first, second).isInstanceOf(WorkerDiedException.class);
            assertThat(((WorkerDiedException) thrown.get()).number()).as("the number the dead worker had been given")
                    .isIn(first, second);
            assertThat(took).as("time from the kill to map's exception: a dead worker must be reported at once:"
                    + " destroy the other workers rather than wait for them to finish").isLessThan(AT_ONCE);
            Eventually.within(GONE, "workers still running after map failed: destroy the other workers when one"
                    + " dies, and wait for them", () -> assertThat(children.alive()).isEmpty());
        }
    }

    @Test
    @Order(7)
    @Points(1)
    @DisplayName("bad arguments are refused, naming the argument; no numbers, no child")
    void badArgumentsAreRefused() {
        Arguments.assertRefused("new ProcessPool(0)", IllegalArgumentException.class, "processes", () -> new ProcessPool(0));
        Arguments.assertRefused("new ProcessPool(-2)", IllegalArgumentException.class, "processes", () -> new ProcessPool(-2));
        Arguments.assertRefused("map(null)", NullPointerException.class, "numbers", () -> new ProcessPool(2).map(null));
        Arguments.assertRefused("map(a list holding null)", NullPointerException.class, "numbers",
                () -> new ProcessPool(2).map(Arrays.asList(1L, null)));
        try (ChildProcesses children = new ChildProcesses()) {
            assertThat(new ProcessPool(2).map(List.of())).as("map of no numbers").isEmpty();
            assertThat(children.children()).as("child processes started for no numbers").isEmpty();
        }
    }
}
