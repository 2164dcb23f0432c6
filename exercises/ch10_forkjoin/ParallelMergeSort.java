package ch10_forkjoin;

import java.util.Comparator;

/**
 * Exercise 30: merge sort with fork/join. See README.md in this folder.
 *
 * <p>A range of at most {@code threshold} elements is sorted directly ({@code Arrays.sort}); a longer
 * one is split into two halves, sorted at the same time ({@code invokeAll}, or fork one and compute
 * the other), then merged. The first task is {@code invoke()}d, so it runs in the fork/join pool of
 * the caller (the common pool when the caller is in none).
 */
public class ParallelMergeSort {

    /**
     * Sorts {@code a} in ascending order, in place.
     *
     * @throws NullPointerException if {@code a} is null
     * @throws IllegalArgumentException if {@code threshold} is less than 1
     */
    public static void sort(int[] a, int threshold) {
        throw new UnsupportedOperationException("TODO: sort the ints with the same fork/join merge sort");
    }

    /**
     * Sorts {@code a} in the order of {@code order}, in place, and stably: elements that compare equal
     * keep the order they had (like {@code Arrays.sort} of objects).
     *
     * @throws NullPointerException if {@code a} or {@code order} is null
     * @throws IllegalArgumentException if {@code threshold} is less than 1
     */
    public static <T> void sort(T[] a, Comparator<? super T> order, int threshold) {
        throw new UnsupportedOperationException("TODO: invoke() a RecursiveAction: sort a short range, split a long one, sort both halves at once, merge them");
    }
}
