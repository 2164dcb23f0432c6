package ch01_threads;

import java.io.BufferedReader;

/**
 * Exercise 1: read a line on a thread of its own while this thread keeps computing.
 *
 * <p>Start a reader thread that reads one line from {@code input}; meanwhile, on the calling
 * thread, compute {@code count * count} for count = 0, 1, 2, ... until the reader is done; then
 * wait for it and return what it read. Each call starts its own reader and keeps its own results:
 * nothing one call read or failed with carries over to the next. See README.md in this folder.
 */
public final class BackgroundReader {

    /**
     * @param line the line read, or {@code null} at end of input
     * @param squaresComputed how many squares the caller computed while it waited
     * @param readerThread the name of the thread that read the line
     */
    public record Result(String line, long squaresComputed, String readerThread) {
    }

    private BackgroundReader() {
    }

    /**
     * Reads one line from {@code input} on a new thread while the caller computes squares. The
     * reader thread has ended when this method returns or throws.
     *
     * @throws java.io.UncheckedIOException if reading failed, with the reader's own IOException
     *         (that very object) as its cause
     * @throws InterruptedException if the calling thread is interrupted before the reader is done:
     *         stop computing, interrupt the reader (a pipe's read then ends), wait for it, then throw
     * @throws NullPointerException if {@code input} is null
     */
    public static Result readWhileComputing(BufferedReader input) throws InterruptedException {
        throw new UnsupportedOperationException("TODO: start() a reader thread, compute squares while it isAlive(), then join() it");
    }
}
