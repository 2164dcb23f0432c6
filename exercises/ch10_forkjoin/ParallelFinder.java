package ch10_forkjoin;

import java.util.List;

/**
 * Exercise 29: find the lines of a long text that contain a term, the sources' pool.map finder as
 * fork/join. See README.md in this folder.
 */
public class ParallelFinder {

    /**
     * The lines that contain {@code term}, in the order they come in {@code lines}.
     *
     * <p>With fork/join: a range of at most {@code threshold} lines is searched directly; a longer one
     * is split into two halves that are searched at the same time (fork one, compute the other, then
     * join). The first task is {@code invoke()}d, so it runs in the fork/join pool of the caller (the
     * common pool when the caller is in none). The tasks read the lines where they are: copying the
     * list first would be as much work, on one thread, as the search itself. {@code lines} must not
     * change while this runs.
     *
     * @throws NullPointerException if {@code lines} or {@code term} is null
     * @throws IllegalArgumentException if {@code threshold} is less than 1
     */
    public static List<String> find(List<String> lines, String term, int threshold) {
        throw new UnsupportedOperationException("TODO: invoke() a RecursiveTask over the range of lines: search a short range, split a long one");
    }
}
