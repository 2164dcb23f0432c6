package ch11_generators;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import kit.Arguments;
import kit.Blocking;
import kit.Eventually;
import kit.Exercise;
import kit.Points;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(32)
class ThreadedGeneratorTest {

    private static final Duration BOUND = Duration.ofSeconds(5);
    /** How long "nothing more happens" is watched for. */
    private static final Duration QUIET = Duration.ofMillis(250);
    /** How long a body's cleanup takes after close() interrupted it. */
    private static final Duration CLEAN_UP = Duration.ofMillis(300);

    /** What the body saw: its thread, how many values it emitted, whether it started and ended. */
    private final AtomicReference<Thread> bodyThread = new AtomicReference<>();
    private final AtomicInteger emitted = new AtomicInteger();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final List<ThreadedGenerator<?>> generators = new ArrayList<>();

    /** A generator whose body emits 1, 2, ..., count (for ever if count is negative), recording what it does. */
    private ThreadedGenerator<Integer> counting(int count) {
        return generator(out -> {
            for (int i = 1; count < 0 || i <= count; i++) {
                emitted.incrementAndGet();
                out.emit(i);
            }
        });
    }

    private <T> ThreadedGenerator<T> generator(Body<T> body) {
        ThreadedGenerator<T> generator = new ThreadedGenerator<>(out -> {
            bodyThread.set(Thread.currentThread());
            started.set(true);
            try {
                body.run(out);
            } finally {
                ended.set(true);
            }
        });
        generators.add(generator);
        return generator;
    }

    @AfterEach
    void closeGenerators() {
        generators.forEach(g -> kit.Blocking.run(g::close)); // a broken close() must not hang the test
    }

    private static List<Integer> drain(ThreadedGenerator<Integer> generator) {
        List<Integer> values = new ArrayList<>();
        while (generator.hasNext()) {
            values.add(generator.next());
        }
        return values;
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("the values the body emits come out in order, then hasNext() is false and next() refuses (0 and 5 values)")
    void valuesComeInOrder() {
        for (int count : new int[] {0, 5}) {
            ThreadedGenerator<Integer> generator = counting(count);
            List<Integer> expected = java.util.stream.IntStream.rangeClosed(1, count).boxed().toList();
            assertThat(drain(generator)).as("values of a body that emits 1 to %d", count).isEqualTo(expected);
            assertThat(generator.hasNext()).as("hasNext() after the last value").isFalse();
            assertThat(Arguments.thrownBy(generator::next)).as("what next() threw after the last value")
                    .isInstanceOf(NoSuchElementException.class);
            generator.close();
        }
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("the body does not start before a value is asked for")
    void bodyStartsWhenAsked() {
        ThreadedGenerator<Integer> generator = counting(3);
        Eventually.throughout(QUIET, BOUND, "the body started before anyone asked for a value: start its thread at"
                + " the first hasNext() or next(), not in the constructor", () -> assertThat(started).isFalse());
        assertThat(generator.next()).as("the first value").isEqualTo(1);
        assertThat(started).as("body started once a value was asked for").isTrue();
        generator.close();
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("the body is never more than one value ahead of the consumer")
    void atMostOneValueAhead() {
        ThreadedGenerator<Integer> generator = counting(-1);
        for (int taken = 1; taken <= 3; taken++) {
            assertThat(generator.next()).as("value %d", taken).isEqualTo(taken);
            int had = taken;
            Eventually.throughout(QUIET, BOUND, "the body ran ahead of the consumer: it emitted more than one value"
                    + " beyond those taken. Hand each value over a SynchronousQueue, where put() waits for take()",
                    () -> assertThat(emitted.get()).as("values emitted once the consumer had %d", had)
                            .isLessThanOrEqualTo(had + 1));
        }
        generator.close();
    }

    @Test
    @Order(4)
    @Points(1)
    @DisplayName("the body runs on a virtual thread of its own")
    void bodyRunsOnAVirtualThread() {
        ThreadedGenerator<Integer> generator = counting(2);
        assertThat(drain(generator)).containsExactly(1, 2);
        Thread thread = bodyThread.get();
        assertThat(thread).as("the body's thread: not the consumer's").isNotSameAs(Thread.currentThread());
        assertThat(thread.isVirtual()).as("whether the body's thread (%s) is virtual: start it with"
                + " Thread.ofVirtual()", thread).isTrue();
        generator.close();
    }

    @Test
    @Order(5)
    @Points(2)
    @DisplayName("a body that throws: its values first, then hasNext() throws a GeneratorException with the cause")
    void bodyExceptionSurfacesWithItsCause() {
        IOException bad = new IOException("the body failed after 2 values");
        ThreadedGenerator<Integer> generator = generator(out -> {
            out.emit(1);
            out.emit(2);
            throw bad;
        });
        assertThat(generator.next()).isEqualTo(1);
        assertThat(generator.next()).isEqualTo(2);
        Throwable thrown = Arguments.thrownBy(generator::hasNext);
        assertThat(thrown).as("what hasNext() threw after the body's values, the body having thrown: a"
                + " GeneratorException whose cause is the body's exception (not swallowed, not an end like any"
                + " other)").isInstanceOf(GeneratorException.class).cause().isSameAs(bad);
        assertThat(generator.hasNext()).as("hasNext() once the failure was reported: the generator is finished")
                .isFalse();
        generator.close();
    }

    @Test
    @Order(6)
    @Points(2)
    @DisplayName("close() stops a body that would go on for ever and returns once it has ended, also when the consumer stops early")
    void closeStopsTheBody() {
        List<Integer> taken = new ArrayList<>();
        // A body that takes a while to clean up once interrupted: close() returns only after that.
        ThreadedGenerator<Integer> slowToEnd = generator(out -> {
            try {
                for (int i = 1; ; i++) {
                    emitted.incrementAndGet();
                    out.emit(i);
                }
            } finally {
                LockSupport.parkNanos(CLEAN_UP.toNanos()); // its cleanup, after the interrupt
            }
        });
        try (ThreadedGenerator<Integer> generator = slowToEnd) {
            while (taken.size() < 3 && generator.hasNext()) {
                taken.add(generator.next()); // the consumer stops early, as in a for loop with break
            }
            // Only once the body waits to hand over its fourth value: close() must wake it, whatever the timing.
            Blocking.awaitWaiting(BOUND, "the body never came to wait with its fourth value", List.of(bodyThread.get()));
        }
        assertThat(taken).containsExactly(1, 2, 3);
        Thread thread = bodyThread.get();
        assertThat(thread.isAlive()).as("the body's thread alive after close() returned: interrupt it (its emit()"
                + " then throws InterruptedException) and join it").isFalse();
        assertThat(ended).as("the body ended (its finally, which takes %d ms, ran to its end) by the time close()"
                + " returned: close() interrupts the body's thread and then waits for it with join()",
                CLEAN_UP.toMillis()).isTrue();

        started.set(false);
        ThreadedGenerator<Integer> unused = counting(3);
        unused.close();
        assertThat(unused.hasNext()).as("hasNext() of a generator closed before it started").isFalse();
        assertThat(started).as("a body closed before anything was asked never runs").isFalse();
    }

    @Test
    @Order(7)
    @Points(1)
    @DisplayName("a null body is refused, naming the argument; after close(), even twice, no value is left")
    void nullBodyAndCloseTwice() {
        Arguments.assertRefused("new ThreadedGenerator(null)", NullPointerException.class, "body",
                () -> new ThreadedGenerator<Integer>(null));
        ThreadedGenerator<Integer> generator = counting(-1);
        assertThat(generator.next()).isEqualTo(1);
        assertThat(generator.hasNext()).as("hasNext() with value 2 emitted").isTrue();
        generator.close();
        generator.close();
        assertThat(generator.hasNext()).as("hasNext() after close(), though value 2 had been taken from the body"
                + " by the hasNext() before: a closed generator has no next value, whatever it held").isFalse();
    }
}
