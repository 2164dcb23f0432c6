package ch10_forkjoin;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.concurrent.RecursiveAction;

/**
 * Merge sort as fork/join: a short range is sorted with Arrays.sort (stable for objects), a long
 * one is halved, both halves sorted at the same time (invokeAll), then merged through a buffer.
 * Two tasks that run at once always own disjoint ranges of the array and of the buffer, and a
 * merge starts only after both halves are joined, so nothing needs a lock. The merge takes from the
 * left half while its element is not greater: equal elements keep their order (stable). The int
 * version sorts boxed copies with the same code: one algorithm to get right.
 */
public class ParallelMergeSort {

    public static void sort(int[] a, int threshold) {
        Objects.requireNonNull(a, "a");
        Integer[] boxed = Arrays.stream(a).boxed().toArray(Integer[]::new);
        sort(boxed, Comparator.naturalOrder(), threshold);
        for (int i = 0; i < a.length; i++) {
            a[i] = boxed[i];
        }
    }

    public static <T> void sort(T[] a, Comparator<? super T> order, int threshold) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(order, "order");
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1, was " + threshold);
        }
        new Sort<>(a, a.clone(), order, threshold, 0, a.length).invoke();
    }

    private static final class Sort<T> extends RecursiveAction {

        private final T[] a;
        private final T[] buffer;
        private final Comparator<? super T> order;
        private final int threshold;
        private final int from;
        private final int to;

        Sort(T[] a, T[] buffer, Comparator<? super T> order, int threshold, int from, int to) {
            this.a = a;
            this.buffer = buffer;
            this.order = order;
            this.threshold = threshold;
            this.from = from;
            this.to = to;
        }

        @Override
        protected void compute() {
            if (to - from <= threshold) {
                Arrays.sort(a, from, to, order);
                return;
            }
            int middle = from + (to - from) / 2;
            invokeAll(new Sort<>(a, buffer, order, threshold, from, middle),
                    new Sort<>(a, buffer, order, threshold, middle, to));
            merge(middle);
        }

        /** Merges the sorted ranges [from, middle) and [middle, to) of a, through the buffer. */
        private void merge(int middle) {
            System.arraycopy(a, from, buffer, from, to - from);
            int left = from;
            int right = middle;
            for (int i = from; i < to; i++) {
                if (right >= to || (left < middle && order.compare(buffer[left], buffer[right]) <= 0)) {
                    a[i] = buffer[left++];
                } else {
                    a[i] = buffer[right++];
                }
            }
        }
    }
}
