package ch04_futures;

import java.util.List;
import java.util.function.Function;

/**
 * Exercise 12: Python's {@code executor.map} for Java, on a pool of your own.
 * See README.md in this folder.
 */
public class ParallelMap {

    /** {@link #map(List, Function, int, int)} with one item per task. */
    public static <T, R> List<R> map(List<T> items, Function<T, R> fn, int workers) {
        throw new UnsupportedOperationException("TODO: map(items, fn, workers, 1)");
    }

    /**
     * Applies {@code fn} to every item on a pool of {@code workers} threads, {@code chunkSize}
     * consecutive items per task (one task runs its items one after another, in order).
     *
     * @return the results in the order of {@code items}, whatever order the tasks finish in. Items
     *     may be null (fn gets them), and so may fn's results: they are kept in the list.
     * @throws ItemFailedException as soon as {@code fn} throws (an exception or an Error) on any
     *     item: that item's index, and what fn threw, the very same object, as the cause; the other
     *     tasks are cancelled
     * @throws IllegalArgumentException if {@code workers} or {@code chunkSize} is below 1
     * @throws NullPointerException if {@code items} or {@code fn} is null
     *     <p>At most {@code workers} items run at once. The pool is shut down before this method
     *     returns, in every case.
     */
    public static <T, R> List<R> map(List<T> items, Function<T, R> fn, int workers, int chunkSize) {
        throw new UnsupportedOperationException("TODO: submit one task per chunk, take() them as they finish, write results by index");
    }
}
