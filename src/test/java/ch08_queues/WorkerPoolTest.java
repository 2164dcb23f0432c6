package ch08_queues;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import kit.Arguments;
import kit.Blocking;
import kit.Eventually;
import kit.Exercise;
import kit.Measure;
import kit.Points;
import kit.ThreadReport;
import kit.Threads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(22)
class WorkerPoolTest {

    private static final Duration BOUND = Duration.ofSeconds(5);
    /** How long "still waiting" is watched for. */
    private static final Duration QUIET = Duration.ofMillis(300);
    /** Blocked workers use next to nothing; one worker looping on poll() uses the whole window. */
    private static final Duration IDLE_CPU = Duration.ofMillis(50);

    /** Every task the tests' fn was called with, and how often. */
    private final Map<Object, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Set<Thread> workerThreads = ConcurrentHashMap.newKeySet();
    /** The threads the pools' constructors started, and the threads fn ran on. */
    private final Set<Thread> poolThreads = ConcurrentHashMap.newKeySet();
    /** Holds the tasks that wait for it until the test opens it. */
    private final CountDownLatch gate = new CountDownLatch(1);
    private final List<WorkerPool<?, ?>> pools = new ArrayList<>();

    private <T, R> WorkerPool<T, R> pool(int workers, Function<T, R> fn) {
        Threads.Started<WorkerPool<T, R>> started;
        try {
            started = Threads.startedBy(() -> new WorkerPool<T, R>(workers, task -> {
                workerThreads.add(Thread.currentThread());
                poolThreads.add(Thread.currentThread());
                calls.computeIfAbsent(task, t -> new AtomicInteger()).incrementAndGet();
                return fn.apply(task);
            }));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
        poolThreads.addAll(started.threads()); // the constructor starts them: known before any task runs
        pools.add(started.value());
        return started.value();
    }

    @AfterEach
    void openGateAndShutDown() {
        gate.countDown();
        for (WorkerPool<?, ?> pool : pools) {
            shutDown(pool, poolThreads);
        }
    }

    /**
     * Shuts {@code pool} down and checks, within a bound, that shutdown() returned and that the
     * workers it knows of ended.
     */
    private static void shutDown(WorkerPool<?, ?> pool, Set<Thread> workers) {
        Blocking.Call<Void> stopping = Blocking.run(pool::shutdown);
        try {
            Eventually.within(BOUND, "shutdown() did not return", () -> {
                assertThat(stopping.isDone()).isTrue();
                assertThat(workers).noneMatch(Thread::isAlive);
            });
        } catch (AssertionError stuck) {
            List<Thread> alive = workers.stream().filter(Thread::isAlive).toList();
            throw new AssertionError("shutdown() " + (stopping.isDone() ? "returned" : "had not returned after "
                    + BOUND.toSeconds() + " s") + " and " + alive.size() + " of the " + workers.size() + " threads the"
                    + " pool started were still alive: put one poison pill per worker (a worker that takes a pill ends,"
                    + " and the pill with it), and return once every worker has ended (join them).\n"
                    + ThreadReport.describe(alive), stuck);
        }
        Throwable failure = stopping.failure();
        if (failure != null) {
            Arguments.unlessTodo(failure);
            throw new AssertionError("shutdown() threw " + failure, failure);
        }
    }

    private void awaitGate() {
        try {
            gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until {@code count} tasks are inside fn at once, each on its own worker. */
    private Set<Thread> awaitWorkersBusy(CountDownLatch inside, int count) {
        Eventually.within(BOUND, count + " tasks submitted to a pool of " + count + " workers were not all running at"
                + " once: does the constructor start that many worker threads, each taking tasks from the queue?",
                () -> assertThat(inside.getCount()).isZero());
        return Set.copyOf(workerThreads);
    }

    /** A pool of 3 whose workers were each seen busy with one of 3 tasks, all done by now. */
    private record Used(WorkerPool<Integer, Integer> pool, Set<Thread> workers) {
    }

    private Used threeTasksDone() {
        CountDownLatch inside = new CountDownLatch(3);
        WorkerPool<Integer, Integer> pool = pool(3, i -> {
            inside.countDown();
            awaitGate();
            return i;
        });
        for (int i = 0; i < 3; i++) {
            pool.submit(i);
        }
        Set<Thread> workers = awaitWorkersBusy(inside, 3);
        gate.countDown();
        awaitAllWithin(pool, "awaitAll() did not return after 3 tasks");
        return new Used(pool, workers);
    }

    private static void awaitAllWithin(WorkerPool<?, ?> pool, String why) {
        Blocking.Call<Void> waiting = Blocking.run(pool::awaitAll);
        Eventually.within(BOUND, why, () -> assertThat(waiting.isDone()).isTrue());
        if (waiting.failure() != null) {
            Arguments.unlessTodo(waiting.failure());
            throw new AssertionError("awaitAll() threw " + waiting.failure(), waiting.failure());
        }
    }

    @Test
    @Order(1)
    @Points(2)
    @DisplayName("each of 2000 tasks, submitted by 4 threads at once, runs exactly once on 4 workers, and its result is kept")
    void eachTaskRunsExactlyOnce() throws Exception {
        WorkerPool<Integer, String> pool = pool(4, i -> "r" + i);
        Threads.race(4, BOUND, index -> {
            for (int i = index * 500; i < (index + 1) * 500; i++) {
                pool.submit(i);
            }
        });
        awaitAllWithin(pool, "awaitAll() did not return after 2000 quick tasks");
        List<Integer> missing = IntStream.range(0, 2000).filter(i -> !calls.containsKey(i)).boxed().toList();
        assertThat(missing).as("tasks fn was never called for: each task must run exactly once").isEmpty();
        calls.forEach((task, count) -> assertThat(count.get()).as("times fn ran task %s: each task exactly once",
                task).isEqualTo(1));
        assertThat(pool.results()).as("results() after awaitAll(): one per task, whatever the order")
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 2000).mapToObj(i -> "r" + i).toList());
        assertThat(workerThreads).as("threads fn ran on: at most the 4 workers, never the caller")
                .hasSizeBetween(1, 4).doesNotContain(Thread.currentThread());
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("awaitAll waits for the last task to finish, not only for the queue to be empty; two threads waiting in it both return")
    void awaitAllWaitsForRunningTasks() throws Exception {
        WorkerPool<Integer, Integer> pool = pool(2, i -> {
            if (i == 3) {
                awaitGate();
            }
            return i * 10;
        });
        for (int i = 0; i < 4; i++) {
            pool.submit(i);
        }
        Eventually.within(BOUND, "task 3 never started", () -> assertThat(calls).containsKey(3));
        List<Blocking.Call<Void>> waiting = List.of(Blocking.run(pool::awaitAll), Blocking.run(pool::awaitAll));
        Eventually.throughout(QUIET, BOUND, "awaitAll() returned while task 3 was still running (the queue was"
                + " empty, but a worker had taken it): count the unfinished tasks and wait until none is left",
                () -> assertThat(waiting).noneMatch(Blocking.Call::isDone));
        Blocking.awaitWaiting(BOUND, "two threads calling awaitAll() while task 3 runs must both wait, parked",
                waiting.stream().map(Blocking.Call::thread).toList());
        gate.countDown();
        try {
            Eventually.within(BOUND, "awaitAll() did not return after the last task finished",
                    () -> assertThat(waiting).allMatch(Blocking.Call::isDone));
        } catch (AssertionError stuck) {
            long returned = waiting.stream().filter(Blocking.Call::isDone).count();
            throw new AssertionError(returned + " of the 2 threads waiting in awaitAll() returned after the last task"
                    + " finished" + (returned == 1 ? ": wake every thread that waits (signalAll(), notifyAll()), not"
                    + " only one" : "") + "\n" + stuck.getMessage(), stuck);
        }
        assertThat(pool.results()).as("results() once awaitAll() returned").containsExactlyInAnyOrder(0, 10, 20, 30);
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("idle workers wait in take() and use no CPU")
    void idleWorkersUseNoCpu() throws Exception {
        Set<Thread> workers = threeTasksDone().workers();
        Blocking.CpuUse use = Blocking.cpuUse(QUIET);
        Duration used = workers.stream().anyMatch(Thread::isVirtual) ? use.total()
                : workers.stream().map(use.byThread()::get).filter(d -> d != null).reduce(Duration.ZERO, Duration::plus);
        Measure.log("idle workers' CPU in " + QUIET.toMillis() + " ms, ms", used.toMillis());
        assertThat(used).as("CPU time 3 idle workers used in %d ms with nothing queued (%s): a worker that loops on"
                + " poll() burns a CPU while it waits; block in take() instead", QUIET.toMillis(), use)
                .isLessThan(IDLE_CPU);
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("shutdown ends every worker: one poison pill each, and no thread is left; a second shutdown does nothing")
    void shutdownEndsEveryWorker() throws Exception {
        Used used = threeTasksDone();
        shutDown(used.pool(), used.workers());
        Blocking.Call<Void> again = Blocking.run(used.pool()::shutdown);
        Eventually.within(BOUND, "a second shutdown() did not return: calling it again must do nothing",
                () -> assertThat(again.isDone()).isTrue());
        assertThat(again.failure()).as("what a second shutdown() threw: calling it again must do nothing").isNull();
    }

    @Test
    @Order(5)
    @Points(2)
    @DisplayName("shutdown lets the tasks already queued finish before the workers end")
    void shutdownFinishesQueuedTasks() throws Exception {
        WorkerPool<Integer, Integer> pool = pool(2, i -> {
            awaitGate();
            return i;
        });
        for (int i = 0; i < 12; i++) {
            pool.submit(i);
        }
        Eventually.within(BOUND, "the first tasks never started", () -> assertThat(calls).isNotEmpty());
        Blocking.Call<Void> stopping = Blocking.run(pool::shutdown);
        Eventually.throughout(QUIET, BOUND, "shutdown() returned while tasks were still queued and running: it must"
                + " let them finish (pills go after the tasks) and return only once every worker has ended (join"
                + " them)", () -> assertThat(stopping.isDone()).isFalse());
        gate.countDown();
        Eventually.within(BOUND, "shutdown() did not return once the tasks could finish",
                () -> assertThat(stopping.isDone()).isTrue());
        assertThat(calls.keySet()).as("tasks that ran of the 12 submitted before shutdown(): shutdown must not drop"
                + " the queued tasks or interrupt the running ones").containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, 12).boxed().toList());
        assertThat(pool.results()).as("results() after shutdown()").hasSize(12);
    }

    @Test
    @Order(6)
    @Points(2)
    @DisplayName("a task that throws: its worker goes on, the task is not run again, awaitAll reports it with its cause")
    void failingTaskIsReportedOnce() throws Exception {
        IllegalStateException bad = new IllegalStateException("task 5 is bad");
        WorkerPool<Integer, Integer> pool = pool(1, i -> {
            if (i == 5) {
                throw bad;
            }
            return i;
        });
        for (int i = 0; i < 10; i++) {
            pool.submit(i);
        }
        Blocking.Call<Void> waiting = Blocking.run(pool::awaitAll);
        Eventually.within(BOUND, "awaitAll() never returned after a task threw: a task that throws must count as"
                + " finished too (count it down in a finally)", () -> assertThat(waiting.isDone()).isTrue());
        Throwable thrown = waiting.failure();
        if (thrown != null) {
            Arguments.unlessTodo(thrown);
        }
        assertThat(calls.get(5)).as("times fn ran the task that threw: exactly once, a failure is not retried")
                .hasValue(1);
        assertThat(calls.keySet()).as("tasks that ran: the one worker must go on after a task threw")
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 10).boxed().toList());
        assertThat(thrown).as("what awaitAll() threw: a CompletionException whose cause is what fn threw")
                .isInstanceOf(CompletionException.class).cause().isSameAs(bad);
        assertThat(pool.results()).as("results() of one worker: one per task that did not throw, in the order they"
                + " finished").containsExactly(0, 1, 2, 3, 4, 6, 7, 8, 9);
        pool.submit(10);
        awaitAllWithin(pool, "awaitAll() did not return after one more task");
    }

    @Test
    @Order(7)
    @Points(1)
    @DisplayName("bad arguments are refused, naming the argument, and so is a task after shutdown")
    void badArgumentsAreRefused() throws Exception {
        Arguments.assertRefused("new WorkerPool(0, fn)", IllegalArgumentException.class, "workers",
                () -> new WorkerPool<Integer, Integer>(0, i -> i));
        Arguments.assertRefused("new WorkerPool(2, null)", NullPointerException.class, "fn",
                () -> new WorkerPool<Integer, Integer>(2, null));
        WorkerPool<Integer, Integer> pool = pool(2, i -> i);
        Arguments.assertRefused("submit(null)", NullPointerException.class, "task", () -> pool.submit(null));
        shutDown(pool, poolThreads);
        assertThat(Arguments.thrownBy(() -> pool.submit(1))).as("what submit() threw after shutdown()")
                .isInstanceOf(IllegalStateException.class);
    }
}
