package ch04_futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kit.Eventually;
import kit.Exercise;
import kit.Points;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(13)
class TimeoutsTest {

    /** How long a test waits for an interrupted task to notice: it should at once. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final Duration SHORT = Duration.ofMillis(100);

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

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("withTimeout gives the task's result when it is done in time, and leaves the executor running")
    void withTimeoutInTime() throws Exception {
        assertThat(Timeouts.withTimeout(() -> 42, Duration.ofSeconds(5), executor)).contains(42);
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
                + " future.cancel(true), so that it is interrupted (cancel(false) only stops it from starting)",
                () -> assertThat(stalls.interrupted()).isEqualTo(1));
    }

    @Test
    @Order(3)
    @Points(1)
    @DisplayName("withTimeout passes the task's own exception on as the cause of a CompletionException")
    void withTimeoutFailure() {
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> Timeouts.withTimeout(() -> {
            throw boom;
        }, Duration.ofSeconds(5), executor)).isInstanceOf(CompletionException.class).cause().isSameAs(boom);
    }

    @Test
    @Order(4)
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
                    failed.await(Stalls.BOUND.toMillis(), TimeUnit.MILLISECONDS);
                    Thread.sleep(100); // its own work: it succeeds well after the failure
                    return "succeeds second";
                });
        String result = null;
        try {
            result = Timeouts.firstSuccessful(tasks, Duration.ofSeconds(5));
        } catch (CompletionException thrown) {
            fail("firstSuccessful threw the failure of the first task to finish, though another task succeeded"
                    + " later: skip a failed task and wait for the next one to finish", thrown);
        }
        assertThat(result).as("firstSuccessful when a task fails before another succeeds").isEqualTo("succeeds second");
    }

    @Test
    @Order(5)
    @Points(2)
    @DisplayName("firstSuccessful cancels the tasks still running, and leaves no thread")
    void firstSuccessCancelsTheRest() throws Exception {
        List<Callable<String>> tasks = List.of(stalls::stall, () -> "quick", stalls::stall);
        assertThat(Timeouts.firstSuccessful(tasks, Duration.ofSeconds(5))).isEqualTo("quick");
        Eventually.within(GRACE, "tasks still running after firstSuccessful returned: cancel the others with"
                + " cancel(true) or shutdownNow(), so that they are interrupted",
                () -> assertThat(stalls.running()).isZero());
        assertThat(stalls.interrupted()).as("tasks that observed their interruption").isEqualTo(stalls.started());
    }

    @Test
    @Order(6)
    @Points(2)
    @DisplayName("firstSuccessful when every task fails: an AllFailedException with each task's exception, in order")
    void allFailed() {
        List<RuntimeException> causes = List.of(new IllegalStateException("one"),
                new IllegalArgumentException("two"), new UnsupportedOperationException("three"));
        List<Callable<String>> tasks = causes.stream().<Callable<String>>map(cause -> () -> {
            throw cause;
        }).toList();
        Throwable thrown = catchThrowable(() -> Timeouts.firstSuccessful(tasks, Duration.ofSeconds(5)));
        assertThat(thrown).as("what firstSuccessful threw when all three tasks failed: an AllFailedException"
                + " keeps every cause (invokeAny's ExecutionException keeps one)").isInstanceOf(AllFailedException.class);
        assertThat(((AllFailedException) thrown).causes()).as("the causes, in task order, whatever order they"
                + " failed in").containsExactlyElementsOf(causes);
    }

    @Test
    @Order(7)
    @Points(2)
    @DisplayName("firstSuccessful when nothing succeeds in time: a TimeoutException as the cause, every task cancelled")
    void nothingInTime() {
        List<Callable<String>> tasks = List.of(stalls::stall, stalls::stall);
        long start = System.nanoTime();
        assertThatThrownBy(() -> Timeouts.firstSuccessful(tasks, SHORT))
                .as("what firstSuccessful threw when no task finished in time").isInstanceOf(CompletionException.class)
                .isNotInstanceOf(AllFailedException.class).cause().isInstanceOf(TimeoutException.class);
        assertThat(millisSince(start)).as("ms firstSuccessful(100 ms) took with tasks that never end: does it"
                + " wait with a deadline?").isLessThan(Stalls.BOUND.toMillis() / 2);
        Eventually.within(GRACE, "tasks still running after the timeout: cancel them with cancel(true)",
                () -> assertThat(stalls.running()).isZero());
    }

    @Test
    @Order(8)
    @Points(1)
    @DisplayName("bad arguments are refused, naming the argument")
    void badArgumentsAreRefused() {
        Callable<String> task = () -> "x";
        Duration second = Duration.ofSeconds(1);
        assertThatThrownBy(() -> Timeouts.withTimeout(null, second, executor)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("task");
        assertThatThrownBy(() -> Timeouts.withTimeout(task, null, executor)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> Timeouts.withTimeout(task, second, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("executor");
        assertThatThrownBy(() -> Timeouts.withTimeout(task, second.negated(), executor))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> Timeouts.firstSuccessful(null, second)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("tasks");
        assertThatThrownBy(() -> Timeouts.firstSuccessful(List.of(), second))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tasks");
        assertThatThrownBy(() -> Timeouts.firstSuccessful(List.of(task), null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("timeout");
    }
}
