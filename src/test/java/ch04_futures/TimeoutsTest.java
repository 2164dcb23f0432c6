package ch04_futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import kit.Arguments;
import kit.Eventually;
import kit.Exercise;
import kit.Interrupting;
import kit.Measure;
import kit.Points;
import kit.Threads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(13)
class TimeoutsTest {

    /** How long a test waits for an interrupted task to notice: it should at once. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final Duration SHORT = Duration.ofMillis(100);
    /** A timeout no task of these tests needs: reaching it means the code waited for the wrong thing. */
    private static final Duration LONG = Duration.ofSeconds(5);

    /** The caller's executor for withTimeout: the test's, shut down by the test. */
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Stalls stalls = new Stalls();

    @AfterEach
    void shutDown() {
        executor.shutdownNow();
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** Waits at most {@code bound} for {@code latch}; whether it opened. */
    private static boolean await(CountDownLatch latch, Duration bound) throws InterruptedException {
        return latch.await(bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("withTimeout gives the task's result when it is done in time, and leaves the executor running")
    void withTimeoutInTime() throws Exception {
        assertThat(Timeouts.withTimeout(() -> 42, LONG, executor)).contains(42);
        assertThat(executor.isShutdown()).as("the caller's executor shut down by withTimeout: it is not yours to"
                + " shut down").isFalse();
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("withTimeout gives up on time with empty, and the task observes its interruption")
    void withTimeoutCancels() throws Exception {
        long start = System.nanoTime();
        Optional<Object> result = Timeouts.withTimeout(stalls::stall, SHORT, executor);
        long took = millisSince(start);
        assertThat(result).as("withTimeout of a task that never ends").isEmpty();
        assertThat(took).as("ms withTimeout(100 ms) took: does it wait with get(timeout, unit)?")
                .isLessThan(Stalls.BOUND.toMillis() / 2);
        Eventually.within(GRACE, "the task was still running after withTimeout gave up: cancel it with"
                + " future.cancel(true), so that it is interrupted (cancel(false) only keeps it from starting, and a"
                + " CompletableFuture's cancel never interrupts its task: submit it to the executor)",
                () -> assertThat(stalls.interrupted()).isEqualTo(1));
    }

    @Test
    @Order(3)
    @Points(1)
    @DisplayName("withTimeout passes the task's own exception, checked or not, on as the cause of a CompletionException")
    void withTimeoutFailure() {
        for (Exception boom : List.of(new IllegalStateException("boom"), new IOException("checked boom"))) {
            Throwable thrown = Arguments.thrownBy(() -> Timeouts.withTimeout(() -> {
                throw boom;
            }, LONG, executor));
            String why = "what withTimeout threw when the task threw " + boom + ": a CompletionException whose cause"
                    + " is the task's own exception, the same object (not the ExecutionException around it)";
            assertThat(thrown).as(why).isInstanceOf(CompletionException.class);
            assertThat(thrown.getCause()).as(why).isSameAs(boom);
        }
    }

    @Test
    @Order(4)
    @Points(1)
    @DisplayName("withTimeout of a task whose result is null gives empty")
    void withTimeoutNullResult() {
        AtomicReference<Optional<Object>> result = new AtomicReference<>();
        Throwable thrown = Arguments.thrownBy(() -> result.set(Timeouts.withTimeout(() -> null, LONG, executor)));
        if (thrown != null) {
            fail("withTimeout threw " + thrown + " for a task that returned null in time: a null result is a result;"
                    + " Optional.of refuses null, Optional.ofNullable gives empty", thrown);
        }
        assertThat(result.get()).as("withTimeout of a task that returned null in time").isEmpty();
    }

    @Test
    @Order(5)
    @Points(1)
    @DisplayName("withTimeout with a zero timeout does not wait, and the task is cancelled")
    void withTimeoutZero() throws Exception {
        long start = System.nanoTime();
        Optional<Optional<Object>> result = Threads.callWithin(GRACE,
                () -> Timeouts.withTimeout(stalls::stall, Duration.ZERO, executor));
        Measure.log("ms withTimeout(0 s) took", millisSince(start));
        if (result.isEmpty()) {
            fail("withTimeout(task, 0 s) was still waiting after %d ms: a zero timeout means do not wait at all (it"
                    + " is not 'no limit', as join(0) and wait(0) are)", GRACE.toMillis());
        }
        assertThat(result.get()).as("withTimeout(task, 0 s) of a task that never ends").isEmpty();
        Eventually.within(GRACE, "the task was still running after withTimeout(task, 0 s) gave up: cancel it with"
                + " future.cancel(true) even when the timeout is zero", () -> assertThat(stalls.running()).isZero());
    }

    @Test
    @Order(6)
    @Points(1)
    @DisplayName("interrupted while it waits, withTimeout stops: a CancellationException, the flag kept, the task cancelled")
    void withTimeoutInterrupted() throws InterruptedException {
        Interrupting.assertStopsWhenInterrupted("withTimeout(task, 5 s, executor)", GRACE, () -> stalls.started() == 1,
                () -> Timeouts.withTimeout(stalls::stall, LONG, executor));
        Eventually.within(GRACE, "the task was still running after withTimeout was interrupted: cancel it"
                + " (future.cancel(true) in a finally): nobody wants its result", () -> assertThat(stalls.running()).isZero());
    }

    @Test
    @Order(7)
    @Points(2)
    @DisplayName("firstSuccessful gives the first success, skipping a failure that came before it")
    void firstSuccessSkipsEarlierFailure() throws Exception {
        CountDownLatch failed = new CountDownLatch(1);
        List<Callable<String>> tasks = List.of(
                () -> {
                    failed.countDown();
                    throw new IllegalStateException("fails first");
                },
                () -> {
                    await(failed, Stalls.BOUND);
                    Thread.sleep(100); // its own work: it succeeds well after the failure
                    return "succeeds second";
                });
        String result = null;
        try {
            result = Timeouts.firstSuccessful(tasks, LONG);
        } catch (CompletionException thrown) {
            fail("firstSuccessful threw the failure of the first task to finish, though another task succeeded"
                    + " later: skip a failed task and wait for the next one to finish", thrown);
        }
        assertThat(result).as("firstSuccessful when a task fails before another succeeds").isEqualTo("succeeds second");
    }

    @Test
    @Order(8)
    @Points(1)
    @DisplayName("firstSuccessful runs every task at once (3 tasks, then 5)")
    void firstSuccessfulRunsAllAtOnce() {
        for (int n : new int[] {3, 5}) {
            CountDownLatch allStarted = new CountDownLatch(n);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            List<Callable<String>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                tasks.add(() -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    allStarted.countDown();
                    try {
                        // Only a task that sees every task running at once succeeds (the first to look does).
                        if (!await(allStarted, GRACE) || running.get() < n) {
                            throw new IllegalStateException("the tasks did not all run at once");
                        }
                        return "all running";
                    } finally {
                        running.decrementAndGet();
                    }
                });
            }
            AtomicReference<String> result = new AtomicReference<>();
            Throwable thrown = Arguments.thrownBy(() -> result.set(Timeouts.firstSuccessful(tasks, LONG)));
            if (thrown != null) {
                fail("firstSuccessful of %d tasks that each wait for all to be running failed (%s): at most %d ran at"
                        + " once. Run every task at once, on threads of its own (a pool as large as the tasks, not"
                        + " the CPU count or the common pool)", n, thrown, most.get());
            }
            assertThat(result.get()).as("firstSuccessful of %d tasks that all succeed", n).isEqualTo("all running");
        }
    }

    @Test
    @Order(9)
    @Points(2)
    @DisplayName("firstSuccessful cancels the tasks still running, and leaves no thread")
    void firstSuccessCancelsTheRest() throws Exception {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        List<Callable<String>> tasks = List.of(() -> {
            threads.add(Thread.currentThread());
            return stalls.stall();
        }, () -> {
            threads.add(Thread.currentThread());
            return "quick";
        }, () -> {
            threads.add(Thread.currentThread());
            return stalls.stall();
        });
        assertThat(Timeouts.firstSuccessful(tasks, LONG)).isEqualTo("quick");
        Eventually.within(GRACE, "tasks still running after firstSuccessful returned: cancel the others with"
                + " cancel(true) or shutdownNow(), so that they are interrupted",
                () -> assertThat(stalls.running()).isZero());
        assertThat(stalls.interrupted()).as("tasks that observed their interruption").isEqualTo(stalls.started());
        Eventually.within(GRACE, "threads that ran the tasks still alive after firstSuccessful returned: no thread"
                + " may be left, so shut down your pool (daemon threads too)",
                () -> assertThat(threads).noneMatch(Thread::isAlive));
    }

    @Test
    @Order(10)
    @Points(2)
    @DisplayName("firstSuccessful when every task fails: an AllFailedException with each task's exception, in task order")
    void allFailed() {
        List<Throwable> causes = List.of(new IllegalStateException("one"), new IOException("two, checked"),
                new AssertionError("three, an Error"));
        List<CountDownLatch> failed = causes.stream().map(c -> new CountDownLatch(1)).toList();
        List<Callable<String>> tasks = new ArrayList<>();
        for (int i = 0; i < causes.size(); i++) {
            int task = i;
            tasks.add(() -> {
                // Each task fails after the next one has: the last first, the first last.
                if (task + 1 < causes.size()) {
                    await(failed.get(task + 1), Stalls.BOUND);
                }
                failed.get(task).countDown();
                Throwable cause = causes.get(task);
                if (cause instanceof Exception exception) {
                    throw exception;
                }
                throw (Error) cause;
            });
        }
        Throwable thrown = Arguments.thrownBy(() -> Timeouts.firstSuccessful(tasks, LONG));
        assertThat(thrown).as("what firstSuccessful threw when all three tasks failed: an AllFailedException"
                + " keeps every cause (invokeAny's ExecutionException keeps one)").isInstanceOf(AllFailedException.class);
        assertThat(((AllFailedException) thrown).causes()).as("the causes of 3 tasks that failed last to first: each"
                + " task's own exception in task order, not in the order they failed")
                .containsExactlyElementsOf(causes);
    }

    @Test
    @Order(11)
    @Points(2)
    @DisplayName("firstSuccessful when nothing succeeds in time: a TimeoutException as the cause, every task cancelled")
    void nothingInTime() {
        List<Callable<String>> tasks = List.of(stalls::stall, stalls::stall);
        long start = System.nanoTime();
        Throwable thrown = Arguments.thrownBy(() -> Timeouts.firstSuccessful(tasks, SHORT));
        assertThat(thrown).as("what firstSuccessful threw when no task finished in time: a CompletionException"
                + " with a TimeoutException as its cause").isInstanceOf(CompletionException.class)
                .isNotInstanceOf(AllFailedException.class);
        assertThat(thrown.getCause()).as("the cause when no task finished in time").isInstanceOf(TimeoutException.class);
        assertThat(millisSince(start)).as("ms firstSuccessful(100 ms) took with tasks that never end: does it"
                + " wait with a deadline?").isLessThan(Stalls.BOUND.toMillis() / 2);
        Eventually.within(GRACE, "tasks still running after the timeout: cancel them with cancel(true)",
                () -> assertThat(stalls.running()).isZero());
    }

    @Test
    @Order(12)
    @Points(1)
    @DisplayName("firstSuccessful's timeout is one deadline for all the tasks, however many fail before it")
    void oneDeadline() {
        Duration timeout = Duration.ofMillis(500);
        Duration gap = Duration.ofMillis(150); // well under the timeout: each failure comes before it would expire
        List<Callable<String>> tasks = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            long after = gap.toMillis() * i;
            tasks.add(() -> {
                Thread.sleep(after); // the task's own work
                throw new IllegalStateException("failed after " + after + " ms");
            });
        }
        tasks.add(() -> {
            Thread.sleep(gap.toMillis() * 6);
            return "too late";
        });
        long start = System.nanoTime();
        Throwable thrown = Arguments.thrownBy(() -> {
            String late = Timeouts.firstSuccessful(tasks, timeout);
            fail("firstSuccessful(tasks, %d ms) returned \"%s\" after %d ms, though no task had succeeded by the"
                    + " deadline: the timeout is one deadline for all the tasks, not a new wait after each failure",
                    timeout.toMillis(), late, millisSince(start));
        });
        Measure.log("ms firstSuccessful(500 ms) took with failures 150 ms apart", millisSince(start));
        assertThat(thrown).as("what firstSuccessful threw when five tasks failed %d ms apart and the only success"
                + " came after the timeout", gap.toMillis()).isInstanceOf(CompletionException.class)
                .isNotInstanceOf(AllFailedException.class);
        assertThat(thrown.getCause()).as("the cause when no task succeeded in time").isInstanceOf(TimeoutException.class);
    }

    @Test
    @Order(13)
    @Points(1)
    @DisplayName("interrupted while it waits, firstSuccessful stops: a CancellationException, the flag kept, tasks cancelled")
    void firstSuccessfulInterrupted() throws InterruptedException {
        Interrupting.assertStopsWhenInterrupted("firstSuccessful(tasks, 5 s)", GRACE, () -> stalls.started() == 2,
                () -> Timeouts.firstSuccessful(List.<Callable<Object>>of(stalls::stall, stalls::stall), LONG));
        Eventually.within(GRACE, "tasks still running after firstSuccessful was interrupted: cancel them"
                + " (cancel(true) or shutdownNow() in a finally)", () -> assertThat(stalls.running()).isZero());
    }

    @Test
    @Order(14)
    @Points(1)
    @DisplayName("bad arguments are refused, naming the argument")
    void badArgumentsAreRefused() {
        Callable<String> task = () -> "x";
        Duration second = Duration.ofSeconds(1);
        List<Callable<String>> withNull = new ArrayList<>(List.of(task));
        withNull.add(null);
        Arguments.assertRefused("withTimeout(null, ...)", NullPointerException.class, "task",
                () -> Timeouts.withTimeout(null, second, executor));
        Arguments.assertRefused("withTimeout(task, null, executor)", NullPointerException.class, "timeout",
                () -> Timeouts.withTimeout(task, null, executor));
        Arguments.assertRefused("withTimeout(task, timeout, null)", NullPointerException.class, "executor",
                () -> Timeouts.withTimeout(task, second, null));
        Arguments.assertRefused("withTimeout(task, -1 s, executor)", IllegalArgumentException.class, "timeout",
                () -> Timeouts.withTimeout(task, second.negated(), executor));
        Arguments.assertRefused("firstSuccessful(null, ...)", NullPointerException.class, "tasks",
                () -> Timeouts.firstSuccessful(null, second));
        Arguments.assertRefused("firstSuccessful(tasks with a null, ...)", NullPointerException.class, "tasks",
                () -> Timeouts.firstSuccessful(withNull, second));
        Arguments.assertRefused("firstSuccessful(no tasks, ...)", IllegalArgumentException.class, "tasks",
                () -> Timeouts.firstSuccessful(List.of(), second));
        Arguments.assertRefused("firstSuccessful(tasks, null)", NullPointerException.class, "timeout",
                () -> Timeouts.firstSuccessful(List.of(task), null));
        Arguments.assertRefused("firstSuccessful(tasks, -1 s)", IllegalArgumentException.class, "timeout",
                () -> Timeouts.firstSuccessful(List.of(task), second.negated()));
    }
}
