package ch01_threads;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/** Hostile: waits in join() and claims to have computed all the while. */
public final class BackgroundReader {

    public record Result(String line, long squaresComputed, String readerThread) {
    }

    private BackgroundReader() {
    }

    public static Result readWhileComputing(BufferedReader input) throws InterruptedException {
        Objects.requireNonNull(input, "input");
        AtomicReference<String> line = new AtomicReference<>();
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                line.set(input.readLine());
            } catch (IOException e) {
                failure.set(e);
            }
        }, "input-reader");
        reader.start();
        try {
            reader.join(); // no computing at all
        } catch (InterruptedException e) {
            reader.interrupt();
            reader.join();
            throw e;
        }
        if (failure.get() != null) {
            throw new UncheckedIOException("reading the line failed", failure.get());
        }
        return new Result(line.get(), 1_000_000, reader.getName()); // "a million squares, honestly"
    }
}
