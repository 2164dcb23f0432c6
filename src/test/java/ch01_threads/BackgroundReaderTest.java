package ch01_threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import kit.Measure;
import kit.Exercise;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(1)
class BackgroundReaderTest {

    private static final long LATE_MILLIS = 200;
    // Far below what a caller computing for 200 ms reaches, far above none (CALIBRATION.md, ch01).
    private static final long MANY_SQUARES = 10_000;

    /** Input whose one line arrives {@link #LATE_MILLIS} late, as if a person typed it; remembers who read it. */
    private static final class LateLine extends Reader {

        final String line = "line " + UUID.randomUUID();
        final AtomicReference<Thread> readBy = new AtomicReference<>();
        private final PipedReader pipe;

        LateLine() throws IOException {
            PipedWriter writer = new PipedWriter();
            pipe = new PipedReader(writer);
            CompletableFuture.runAsync(() -> {
                try (writer) {
                    writer.write(line + "\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, CompletableFuture.delayedExecutor(LATE_MILLIS, TimeUnit.MILLISECONDS));
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            readBy.compareAndSet(null, Thread.currentThread());
            return pipe.read(buffer, offset, length);
        }

        @Override
        public void close() throws IOException {
            pipe.close();
        }
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("a null reader is refused, naming the argument")
    void nullIsRefused() {
        assertThatThrownBy(() -> BackgroundReader.readWhileComputing(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("input");
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("the line that arrives 200 ms late through a pipe is returned")
    void lateLineIsReturned() throws Exception {
        LateLine input = new LateLine();
        BackgroundReader.Result result = BackgroundReader.readWhileComputing(new BufferedReader(input));
        assertThat(result.line())
                .as("the line returned (it arrived %d ms late): null means the method returned before the reader"
                        + " had it. Wait for the reader with join() before you read its result.", LATE_MILLIS)
                .isEqualTo(input.line);
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("the line is read on another thread while the caller computes squares")
    void callerComputesWhileAnotherThreadReads() throws Exception {
        LateLine input = new LateLine();
        BackgroundReader.Result result = BackgroundReader.readWhileComputing(new BufferedReader(input));
        Thread reader = input.readBy.get();
        Measure.log("squares computed", result.squaresComputed());
        assertThat(reader).as("the thread that read the input").isNotNull();
        assertThat(reader)
                .as("the thread that read the input was the caller's own thread '%s': run() runs the body right"
                        + " here; start() runs it on a new thread", Thread.currentThread().getName())
                .isNotSameAs(Thread.currentThread());
        assertThat(result.readerThread()).as("Result.readerThread(), the name of the thread that read the line")
                .isEqualTo(reader.getName());
        assertThat(result.squaresComputed())
                .as("squares the caller computed during the %d ms the line took: did the caller wait instead of"
                        + " computing while the reader isAlive()?", LATE_MILLIS)
                .isGreaterThanOrEqualTo(MANY_SQUARES);
        assertThat(reader.isAlive()).as("the reader thread is still alive after the method returned: join() it")
                .isFalse();
    }

    @Test
    @Order(4)
    @Points(1)
    @DisplayName("end of input gives a null line")
    void endOfInputGivesNull() throws Exception {
        PipedWriter writer = new PipedWriter();
        BufferedReader input = new BufferedReader(new PipedReader(writer));
        writer.close();
        BackgroundReader.Result result = BackgroundReader.readWhileComputing(input);
        assertThat(result.line()).as("the line read from an input that has ended (readLine() gives null)").isNull();
    }

    @Test
    @Order(5)
    @Points(2)
    @DisplayName("an IOException in the reader thread surfaces as UncheckedIOException from the method")
    void readFailureSurfaces() {
        String why = "disk on fire " + UUID.randomUUID();
        Reader broken = new Reader() {
            @Override
            public int read(char[] buffer, int offset, int length) throws IOException {
                throw new IOException(why);
            }

            @Override
            public void close() {
            }
        };
        Throwable thrown = catchThrowable(() -> BackgroundReader.readWhileComputing(new BufferedReader(broken)));
        assertThat(thrown)
                .as("what the method throws when the reader thread's readLine() throws IOException(\"%s\"): a"
                        + " thread cannot throw to its starter, so keep the exception and rethrow it after join()", why)
                .isInstanceOf(UncheckedIOException.class);
        assertThat(thrown.getCause()).as("the cause of the UncheckedIOException: the reader's own IOException")
                .isInstanceOf(IOException.class).hasMessage(why);
    }
}
