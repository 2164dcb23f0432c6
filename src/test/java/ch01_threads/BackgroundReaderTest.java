package ch01_threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import kit.Arguments;
import kit.Blocking;
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

@Exercise(1)
class BackgroundReaderTest {

    private static final Duration LATE = Duration.ofMillis(200);
    /** How long a call may take beyond the line's own delay before the test gives up on it. */
    private static final Duration BOUND = Duration.ofSeconds(5);
    /**
     * The caller's CPU time over the time the line took: a caller that computes all along gets its
     * share of a CPU, a caller that waits gets next to none (CALIBRATION.md, ch01).
     */
    private static final double BUSY = 0.1;
    /** CPU time a caller computing on gets to notice that its reader is done, when it has not ended yet. */
    private static final Duration LOOKING = Duration.ofMillis(20);
    /** How soon an interrupted call must end, and the reader with it. */
    private static final Duration PROMPTLY = Duration.ofSeconds(1);

    /**
     * Input whose one line arrives {@code late} after the reader starts reading (or never, or with
     * an IOException), as if a person typed it; remembers which thread read and for how long.
     * Its read ends at once when the reading thread is interrupted, as a pipe's does.
     */
    private static final class SlowInput extends Reader {

        final String line = "line " + UUID.randomUUID();
        final AtomicReference<Thread> readBy = new AtomicReference<>();
        final AtomicLong readStart = new AtomicLong();
        final AtomicLong readEnd = new AtomicLong();
        private final Duration late;
        private final IOException failure;
        private final boolean lineOnRelease;
        private final CountDownLatch released = new CountDownLatch(1);
        private boolean delivered;

        SlowInput(Duration late, IOException failure, boolean lineOnRelease) {
            this.late = late;
            this.failure = failure;
            this.lineOnRelease = lineOnRelease;
        }

        SlowInput(Duration late, IOException failure) {
            this(late, failure, false);
        }

        static SlowInput late() {
            return new SlowInput(LATE, null);
        }

        /** A line that never comes: {@link #release()} ends the input instead. */
        static SlowInput never() {
            return new SlowInput(null, null);
        }

        /** A line that comes when the test {@link #release()}s it. */
        static SlowInput held() {
            return new SlowInput(null, null, true);
        }

        static SlowInput failing(IOException failure) {
            return new SlowInput(Duration.ZERO, failure);
        }

        /** Ends the wait of a reader still waiting: it gets end of input (the line, if {@link #held()}). */
        void release() {
            released.countDown();
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            if (readBy.compareAndSet(null, Thread.currentThread())) {
                readStart.set(System.nanoTime());
            }
            try {
                boolean arrived = late == null ? awaitRelease() : !released.await(late.toNanos(), TimeUnit.NANOSECONDS);
                readEnd.compareAndSet(0, System.nanoTime());
                if (failure != null) {
                    throw failure;
                }
                if (!arrived || delivered) {
                    return -1;
                }
                delivered = true;
                String text = line + "\n";
                text.getChars(0, text.length(), buffer, offset);
                return text.length();
            } catch (InterruptedException e) {
                readEnd.compareAndSet(0, System.nanoTime());
                throw new InterruptedIOException("the reader was interrupted");
            }
        }

        private boolean awaitRelease() throws InterruptedException {
            released.await();
            return lineOnRelease;
        }

        Duration lineTook() {
            return Duration.ofNanos(readEnd.get() - readStart.get());
        }

        @Override
        public void close() {
        }
    }

    /** What one call did: its result, and whether the reader was still alive the moment it returned. */
    private record Seen(BackgroundReader.Result result, boolean readerAliveAtReturn) {
    }

    /**
     * Calls readWhileComputing on a thread the test starts (a caller that looks like any other),
     * and notes whether the reader thread is alive the moment the call returns.
     */
    private static Threads.Call<Seen> call(SlowInput input) {
        return Threads.start(() -> {
            BackgroundReader.Result result = BackgroundReader.readWhileComputing(new BufferedReader(input));
            Thread reader = input.readBy.get();
            return new Seen(result, reader != null && reader.isAlive());
        });
    }

    /** The finished call's result; fails if it was not done in time. */
    private static Seen finish(Threads.Call<Seen> call, SlowInput input) throws Exception {
        Optional<Seen> seen = call.await(BOUND);
        if (!call.isDone()) {
            input.release();
            KitExtension.requestFreshJvm("a call of readWhileComputing did not end");
            throw new AssertionError("readWhileComputing had not returned " + BOUND.toSeconds() + " s after it was"
                    + " called (the line took " + LATE.toMillis() + " ms): does the loop end when the reader is no"
                    + " longer alive?");
        }
        return seen.orElseThrow();
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("a null reader is refused, naming the argument")
    void nullIsRefused() {
        Arguments.assertRefused("readWhileComputing(null)", NullPointerException.class, "input",
                () -> BackgroundReader.readWhileComputing(null));
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("the line that arrives 200 ms late is returned")
    void lateLineIsReturned() throws Exception {
        SlowInput input = SlowInput.late();
        Seen seen = finish(call(input), input);
        assertThat(seen.result().line())
                .as("the line returned (it arrived %d ms late): null means the method returned before the reader"
                        + " had it. Wait for the reader with join() before you read its result.", LATE.toMillis())
                .isEqualTo(input.line);
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("the line is read on a new thread, whose name the result gives")
    void readOnAnotherThread() throws Exception {
        SlowInput input = SlowInput.late();
        Threads.Call<Seen> call = call(input);
        Seen seen = finish(call, input);
        Thread reader = input.readBy.get();
        assertThat(reader).as("the thread that read the input: nobody read it").isNotNull();
        assertThat(reader == call.thread())
                .as("the line was read by the thread that called readWhileComputing: run() runs the body right"
                        + " there, on the calling thread; start() runs it on a new thread")
                .isFalse();
        assertThat(seen.result().readerThread())
                .as("Result.readerThread(): the name of the thread that read the line (the new thread, not the caller)")
                .isEqualTo(reader.getName());
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("the caller computes all the time the reader waits for the line")
    @Timed
    void callerComputesWhileWaiting() throws Exception {
        // Measured, not asked: the caller's own CPU time during the call, against the time the line
        // took. Best of 3 calls, so that a second build on the same CPU costs a call, not the grade;
        // after each call a thread of the kit computes as long, to show what the machine allowed.
        double best = 0;
        double possible = 0;
        String seenText = "";
        for (int round = 0; round < 3 && best < BUSY; round++) {
            SlowInput input = SlowInput.late();
            Threads.Call<Seen> call = call(input);
            Seen seen = finish(call, input);
            if (input.readEnd.get() == 0) {
                throw new AssertionError("the line was never read: is a reader thread started?");
            }
            double busy = (double) call.cpuTime().toNanos() / input.lineTook().toNanos();
            possible = Math.max(possible, computingShare(input.lineTook()));
            Measure.log("caller CPU over line time", String.format("%.2f (the kit's own computing thread %.2f)", busy, possible));
            if (busy >= best) {
                best = busy;
                seenText = String.format("the caller used %d ms of CPU while the line took %d ms",
                        call.cpuTime().toMillis(), input.lineTook().toMillis());
                assertThat(seen.result().squaresComputed())
                        .as("Result.squaresComputed(): how many squares the caller computed meanwhile").isPositive();
            }
        }
        String seenBest = seenText;
        double kit = possible;
        Measure.judge(best, possible, BUSY, Measure.NO_SHARE, () -> String.format("%s (best of 3 calls; at least %.0f%% expected, and a"
                + " thread of the kit computing as long got %.0f%%): the caller waited instead of computing. Keep"
                + " computing squares while the reader isAlive(), and join() only once it is done", seenBest, BUSY * 100,
                kit * 100), String.format("%s; a thread of the kit computing as long got %.0f%% of a CPU", seenBest, kit * 100));
    }

    /** The share of a CPU that a thread of the kit gets by computing for {@code time}: what the machine allows now. */
    private static double computingShare(Duration time) throws Exception {
        return Threads.start(() -> {
            long start = System.nanoTime();
            long cpu = Measure.currentThreadCpuNanos();
            while (System.nanoTime() - start < time.toNanos()) {
                Thread.onSpinWait(); // computing, as the caller should
            }
            return (double) (Measure.currentThreadCpuNanos() - cpu) / (System.nanoTime() - start);
        }).await(BOUND).orElse(0.0);
    }

    @Test
    @Order(5)
    @Points(1)
    @DisplayName("the reader thread has ended when the method returns")
    void readerEndedAtReturn() throws Exception {
        SlowInput input = SlowInput.held();
        Threads.Call<Seen> call = call(input);
        try {
            Eventually.within(BOUND, "nobody started reading the input",
                    () -> assertThat(input.readBy.get() != null || call.isDone()).isTrue());
            Thread reader = input.readBy.get();
            // A pool's worker ends with its pool: close() or awaitTermination() is its join(), and the JDK
            // signals the pool's end just before the worker's last steps, so it is not held here.
            boolean poolWorker = reader != null && Threads.isPoolWorker(reader);
            if (reader != null && !poolWorker) {
                // A platform thread takes its own monitor to end (join() waits on it): while the test holds it, the
                // reader has run its last statement but has not ended, the moment a done flag cannot tell apart.
                synchronized (reader) {
                    input.release();
                    if (Eventually.whether(BOUND, () -> call.isDone() || Blocking.isEnding(reader))
                            && !call.isDone()) {
                        // Now the caller returns (it trusted something the reader set), waits in join() (for the
                        // monitor the test holds), or computes on: CPU time enough to look at any flag many times.
                        long cpu = Measure.cpuNanos(call.thread());
                        Eventually.whether(BOUND, () -> call.isDone() || Blocking.isWaiting(call.thread())
                                || Measure.cpuNanos(call.thread()) - cpu >= LOOKING.toNanos());
                    }
                }
            } else {
                input.release();
            }
            Seen seen = finish(call, input);
            if (poolWorker) {
                // Its pool closed (or awaited) ends it at once; a pool never shut down keeps it waiting for tasks.
                assertThat(Eventually.whether(PROMPTLY, () -> !reader.isAlive())).as("the reader's pool thread was still"
                        + " alive %d ms after readWhileComputing returned: close() the executor (or shutdown() and"
                        + " awaitTermination()) before you return, as join() would for a thread", PROMPTLY.toMillis())
                        .isTrue();
            }
            assertThat(seen.readerAliveAtReturn() && !poolWorker)
                    .as("the reader thread was still alive at the moment readWhileComputing returned: a done flag"
                            + " the reader sets as its last statement says its work is over, not that the thread has"
                            + " ended. Loop while the reader isAlive(), and join() it before you return")
                    .isFalse();
        } finally {
            input.release();
        }
    }

    @Test
    @Order(6)
    @Points(1)
    @DisplayName("end of input gives a null line")
    void endOfInputGivesNull() throws Exception {
        SlowInput input = SlowInput.never();
        input.release();
        Seen seen = finish(call(input), input);
        assertThat(seen.result().line()).as("the line read from an input that has ended (readLine() gives null)").isNull();
    }

    @Test
    @Order(7)
    @Points(2)
    @DisplayName("an IOException in the reader surfaces as UncheckedIOException, with that very exception as its cause")
    void readFailureSurfaces() throws Exception {
        IOException broken = new IOException("disk on fire " + UUID.randomUUID());
        SlowInput input = SlowInput.failing(broken);
        Threads.Call<Seen> call = call(input);
        Throwable thrown = Arguments.unlessTodo(call.thrown(BOUND));
        if (thrown == null && !call.isDone()) {
            input.release();
            throw new AssertionError("readWhileComputing had not returned " + BOUND.toSeconds() + " s after its"
                    + " reader's readLine() threw IOException: does the loop end when the reader is no longer alive?");
        }
        assertThat(thrown)
                .as("what the method threw when the reader thread's readLine() threw IOException(\"%s\"): a thread"
                        + " cannot throw to its starter, so keep the exception and rethrow it after join()",
                        broken.getMessage())
                .isInstanceOf(UncheckedIOException.class);
        assertThat(thrown.getCause() == broken)
                .as("the cause of the UncheckedIOException was %s: it must be the reader's own IOException, the same"
                        + " object, not a copy or another wrapper", thrown.getCause())
                .isTrue();
    }

    @Test
    @Order(8)
    @Points(1)
    @DisplayName("each call starts afresh: nothing an earlier call read or failed with carries over")
    void callsDoNotShareState() throws Exception {
        Threads.Call<Seen> failed = call(SlowInput.failing(new IOException("the first call's failure")));
        Arguments.unlessTodo(failed.thrown(BOUND));
        SlowInput input = SlowInput.late();
        Threads.Call<Seen> second = call(input);
        Throwable thrown = Arguments.unlessTodo(second.thrown(BOUND));
        assertThat(thrown)
                .as("a call after one whose reader failed threw %s: what a call read or failed with must not carry"
                        + " over to the next (keep it in local variables, not static fields)", thrown)
                .isNull();
        Seen seen = finish(second, input);
        assertThat(seen.result().line()).as("the line of the second call").isEqualTo(input.line);
        SlowInput ended = SlowInput.never();
        ended.release();
        assertThat(finish(call(ended), ended).result().line())
                .as("the line of a third call, on an input that has ended: the line of an earlier call must not"
                        + " carry over (keep it in local variables, not static fields)")
                .isNull();
    }

    @Test
    @Order(9)
    @Points(2)
    @DisplayName("interrupted while the line has not come, the caller stops and throws InterruptedException, and the reader ends too")
    void interruptStopsTheWait() throws Exception {
        SlowInput input = SlowInput.never();
        Threads.Call<Seen> call = call(input);
        try {
            Eventually.within(BOUND, "nobody started reading the input",
                    () -> assertThat(input.readBy.get() != null || call.isDone()).isTrue());
            if (call.isDone()) {
                finish(call, input); // what it threw, a stub's TODO first
                throw new AssertionError("readWhileComputing returned before anything could be read");
            }
            call.thread().interrupt();
            Throwable thrown = Arguments.unlessTodo(call.thrown(PROMPTLY));
            assertThat(call.isDone())
                    .as("readWhileComputing was still running %d ms after its caller was interrupted: it went on"
                            + " computing after it was interrupted. Check Thread.interrupted() in the loop",
                            PROMPTLY.toMillis())
                    .isTrue();
            assertThat(thrown)
                    .as("what readWhileComputing threw when its caller was interrupted before the line came")
                    .isInstanceOf(InterruptedException.class);
            Thread reader = input.readBy.get();
            Eventually.within(PROMPTLY, "the reader thread was still waiting for input " + PROMPTLY.toMillis()
                    + " ms after the method gave up: interrupt() the reader when you stop waiting for it",
                    () -> assertThat(reader.isAlive()).isFalse());
        } finally {
            input.release(); // a reader left waiting, or a caller still computing, ends now
            call.thrown(BOUND);
            if (!call.isDone()) {
                KitExtension.requestFreshJvm("an interrupted readWhileComputing did not end");
            }
        }
    }
}
