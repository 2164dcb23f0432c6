package ch05_async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import kit.Arguments;
import kit.Exercise;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Virtual time makes every log exact: no test here depends on how fast this machine is, but one. */
@Exercise(16)
class EventLoopTest {

    private final List<Throwable> reported = new ArrayList<>();
    private final EventLoop loop = new EventLoop(reported::add);
    private final Log log = new Log(loop::now);

    private static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }

    private static String at(long seconds, String message) {
        return Log.line(seconds(seconds), message);
    }

    /** A future the loop completes after everything scheduled so far up to {@code seconds}. */
    private CompletableFuture<Void> doneAt(long seconds) {
        return loop.sleep(seconds(seconds));
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("callSoon runs callbacks in the order they were added, at virtual time zero")
    void callSoonInOrder() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.callSoon(() -> log.add("a"));
        loop.callSoon(() -> log.add("b"));
        loop.callSoon(() -> {
            log.add("c");
            loop.callSoon(() -> done.complete(null));
        });
        loop.runUntilComplete(done);
        assertThat(log.lines()).containsExactly(at(0, "a"), at(0, "b"), at(0, "c"));
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("callLater runs timers in time order, not the order they were scheduled; ties in scheduling order")
    void timersInTimeOrder() {
        String[][] timers = {{"3", "A"}, {"1", "B"}, {"2", "C"}, {"1", "D"}, {"1", "E"}, {"3", "F"}, {"1", "G"},
            {"1", "H"}, {"2", "I"}};
        for (String[] timer : timers) {
            loop.callLater(seconds(Long.parseLong(timer[0])), () -> log.add(timer[1] + " due at " + timer[0] + " s"));
        }
        loop.runUntilComplete(doneAt(4));
        List<String> lines = log.lines();
        assertThat(lines).as("the log of timers due at 3, 1, 2, 1, 1, 3, 1, 1 and 2 s: a timer runs when the clock"
                + " reaches it, whenever it was scheduled. Keep timers ordered by due time (a PriorityQueue), not in"
                + " a FIFO list").isSortedAccordingTo(Comparator.comparing(line -> line.substring(line.length() - 3)))
                .hasSize(timers.length);
        assertThat(lines).as("the log of timers due at the same time (five at 1 s, two at 2 s, two at 3 s): they"
                + " must run in the order they were scheduled. A PriorityQueue ordered by due time alone does not"
                + " keep that order; break ties with a sequence number")
                .containsExactly(at(1, "B due at 1 s"), at(1, "D due at 1 s"), at(1, "E due at 1 s"),
                        at(1, "G due at 1 s"), at(1, "H due at 1 s"), at(2, "C due at 2 s"), at(2, "I due at 2 s"),
                        at(3, "A due at 3 s"), at(3, "F due at 3 s"));
    }

    @Test
    @Order(3)
    @Points(1)
    @DisplayName("sleep completes after its delay on the virtual clock, and sleeps in a chain add up")
    void sleepsAddUp() {
        CompletableFuture<Void> chain = loop.sleep(seconds(1))
                .thenRun(() -> log.add("slept 1 s"))
                .thenCompose(v -> loop.sleep(seconds(2)))
                .thenRun(() -> log.add("slept 2 s more"));
        loop.runUntilComplete(chain);
        assertThat(log.lines()).containsExactly(at(1, "slept 1 s"), at(3, "slept 2 s more"));
        assertThat(loop.now()).as("now() after the chain").isEqualTo(seconds(3));
    }

    @Test
    @Order(4)
    @Points(1)
    @DisplayName("runUntilComplete returns when its future is done, leaving later timers for later")
    void stopsWhenDone() {
        loop.callLater(seconds(10), () -> log.add("too late"));
        loop.runUntilComplete(doneAt(1));
        assertThat(loop.now()).as("now() when the future completed at 1 s").isEqualTo(seconds(1));
        assertThat(log.lines()).as("timers that ran before the future completed").isEmpty();
        loop.runUntilComplete(doneAt(10));
        assertThat(log.lines()).as("after running on until 11 s").containsExactly(at(10, "too late"));
    }

    @Test
    @Order(5)
    @Points(2)
    @DisplayName("a callback that throws is reported, and the loop goes on with the others")
    void failingCallbackIsReported() {
        IllegalStateException boom = new IllegalStateException("boom");
        loop.callSoon(() -> {
            throw boom;
        });
        loop.callLater(seconds(1), () -> log.add("still running"));
        CompletableFuture<Void> done = doneAt(2);
        assertThatCode(() -> loop.runUntilComplete(done))
                .as("runUntilComplete when a callback threw: the exception escaped the loop and stopped it. Catch"
                        + " each callback's exception, pass it to the handler, go on")
                .doesNotThrowAnyException();
        assertThat(log.lines()).as("callbacks after one that threw: catch a callback's exception, report it, go on")
                .containsExactly(at(1, "still running"));
        assertThat(reported).as("exceptions passed to the loop's handler").containsExactly(boom);
    }

    @Test
    @Order(6)
    @Points(2)
    @DisplayName("every callback runs on the thread that called runUntilComplete")
    void oneThreadOnly() {
        Set<Thread> threads = new HashSet<>();
        loop.callSoon(() -> threads.add(Thread.currentThread()));
        loop.callLater(seconds(1), () -> threads.add(Thread.currentThread()));
        CompletableFuture<Void> done = loop.sleep(seconds(2)).thenRun(() -> threads.add(Thread.currentThread()));
        loop.runUntilComplete(done);
        assertThat(threads).as("threads that ran callbacks: an event loop runs every callback itself, on the one"
                + " thread that runs the loop (no executor, no timer thread)").containsExactly(Thread.currentThread());
    }

    @Test
    @Order(7)
    @Points(2)
    @DisplayName("20 virtual seconds take well under one real second")
    void virtualTimeIsFast() {
        CompletableFuture<Void> ticks = CompletableFuture.completedFuture(null);
        for (int i = 1; i <= 20; i++) {
            int second = i;
            ticks = ticks.thenCompose(v -> loop.sleep(seconds(1))).thenRun(() -> log.add("tick " + second));
        }
        CompletableFuture<Void> all = ticks;
        // A loop that really sleeps needs 20 s; a virtual one needs microseconds. 1 s leaves room for load.
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> loop.runUntilComplete(all),
                () -> "20 virtual seconds of ticks took more than a real second: does the loop really sleep until"
                        + " the next timer? Move the virtual clock to the timer instead");
        assertThat(loop.now()).isEqualTo(seconds(20));
        assertThat(log.lines()).hasSize(20).endsWith(at(20, "tick 20"));
    }

    @Test
    @Order(8)
    @Points(1)
    @DisplayName("runUntilComplete rethrows the future's failure, and refuses a future nothing can complete")
    void failuresAndDeadEnds() {
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<Void> failing = loop.sleep(seconds(1)).thenRun(() -> {
            throw boom;
        });
        assertThatThrownBy(() -> loop.runUntilComplete(failing)).isInstanceOf(CompletionException.class)
                .cause().isSameAs(boom);
        assertThatThrownBy(() -> loop.runUntilComplete(new CompletableFuture<>()))
                .as("runUntilComplete of a future nothing scheduled can complete: it would wait for ever")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Order(9)
    @Points(1)
    @DisplayName("runUntilComplete called from a callback, while the loop is already running, is refused")
    void nestedRunIsRefused() {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        boolean[] called = new boolean[1];
        loop.callSoon(() -> {
            called[0] = true;
            refused.set(Arguments.thrownBy(() -> loop.runUntilComplete(loop.sleep(seconds(1)))));
        });
        loop.runUntilComplete(doneAt(2));
        assertThat(called[0]).as("whether the callback ran").isTrue();
        assertThat(refused.get()).as("what runUntilComplete threw when a callback called it while the loop was"
                + " already running: an IllegalStateException. A nested run would run other callbacks inside this"
                + " one, out of turn").isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Order(10)
    @Points(1)
    @DisplayName("a loop whose run ended with an exception can run again")
    void usableAfterAFailedRun() {
        CompletableFuture<Void> failing = loop.sleep(seconds(1)).thenRun(() -> {
            throw new IllegalStateException("boom");
        });
        assertThat(Arguments.thrownBy(() -> loop.runUntilComplete(failing))).as("runUntilComplete of a failing future")
                .isInstanceOf(CompletionException.class);
        assertThat(Arguments.thrownBy(() -> loop.runUntilComplete(new CompletableFuture<>())))
                .as("runUntilComplete of a future nothing can complete").isInstanceOf(IllegalStateException.class);
        Throwable again = Arguments.thrownBy(() -> loop.runUntilComplete(doneAt(1)));
        assertThat(again).as("runUntilComplete after two runs that ended with an exception: the loop must be usable"
                + " again (is 'running' reset in a finally?)").isNull();
        assertThat(loop.now()).as("now() after running on for another second").isEqualTo(seconds(2));
    }

    @Test
    @Order(11)
    @Points(1)
    @DisplayName("null callbacks and negative delays are refused, naming the argument")
    void badArgumentsAreRefused() {
        Arguments.assertRefused("callSoon(null)", NullPointerException.class, "callback", () -> loop.callSoon(null));
        Arguments.assertRefused("callLater(1 s, null)", NullPointerException.class, "callback",
                () -> loop.callLater(seconds(1), null));
        Arguments.assertRefused("callLater(null, callback)", NullPointerException.class, "delay",
                () -> loop.callLater(null, () -> { }));
        Arguments.assertRefused("callLater(-1 s, callback)", IllegalArgumentException.class, "delay",
                () -> loop.callLater(seconds(-1), () -> { }));
        Arguments.assertRefused("sleep(-1 s)", IllegalArgumentException.class, "delay", () -> loop.sleep(seconds(-1)));
        Arguments.assertRefused("runUntilComplete(null)", NullPointerException.class, "future",
                () -> loop.runUntilComplete(null));
    }
}
