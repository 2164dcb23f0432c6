package ch01_threads;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/** The InputReader example: one thread reads, the caller computes until it is done. */
public final class BackgroundReader {

    public record Result(String line, long squaresComputed, String readerThread) {
    }

    private BackgroundReader() {
    }

    public static Result readWhileComputing(BufferedReader input) throws InterruptedException {
        Objects.requireNonNull(input, "input");
        // Written by the reader, read by the caller after join(): join() makes the writes visible.
        // Local to the call: a second call starts afresh.
        AtomicReference<String> line = new AtomicReference<>();
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                line.set(input.readLine());
            } catch (IOException e) {
                failure.set(e); // a thread cannot throw to its starter: hand the exception over
            }
        }, "input-reader");
        reader.start();
        long count = 0;
        long squares = 0;
        while (reader.isAlive()) {
            if (Thread.interrupted()) {
                reader.interrupt(); // stop waiting for the line, and do not leave the reader behind
                reader.join();
                throw new InterruptedException("interrupted while the line was being read");
            }
            squares += count * count;
            count++;
        }
        reader.join();
        if (failure.get() != null) {
            throw new UncheckedIOException("reading the line failed", failure.get());
        }
        return new Result(line.get(), count, reader.getName());
    }
}
