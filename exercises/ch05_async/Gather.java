package ch05_async;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Exercise 15: Python's {@code asyncio.gather} for {@code CompletableFuture}s.
 * See README.md in this folder.
 */
public class Gather {

    /**
     * One future for many: completes with every value, in the order of {@code futures} (not the
     * order they complete in); a null value is kept in its place. Fails as soon as any future fails,
     * with the exception that failed it (not a {@code CompletionException} around it, even when that
     * future is a dependent stage), without waiting for the others.
     *
     * @throws NullPointerException if {@code futures} is or contains null
     */
    public static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> futures) {
        throw new UnsupportedOperationException("TODO: complete with every value in list order; fail at the first failure (allOf alone waits for all)");
    }

    /**
     * {@code gather(..., return_exceptions=True)}: waits for every future and never fails; each
     * one's {@link Outcome} (its value, which may be null, or the exception that failed it,
     * unwrapped) in the order of {@code futures}.
     *
     * @throws NullPointerException if {@code futures} is or contains null
     */
    public static <T> CompletableFuture<List<Outcome<T>>> allSettled(List<CompletableFuture<T>> futures) {
        throw new UnsupportedOperationException("TODO: turn each future into an Outcome with handle(...), then wait for them all");
    }
}
