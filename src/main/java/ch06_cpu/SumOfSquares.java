package ch06_cpu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The sources' CPU-bound work: the sum of {@code i * i} for every {@code i} from 0 below
 * {@code n}, nothing but arithmetic. In {@code long} arithmetic, which wraps past
 * {@code Long.MAX_VALUE} the same way in every version, so any split of the work adds up to the
 * same answer. Thread-safe: it keeps no state.
 */
public final class SumOfSquares {

    private SumOfSquares() {
    }

    /** The sum of {@code i * i} for {@code 0 <= i < n}; 0 when {@code n <= 0} (the sum of nothing). */
    public static long of(long n) {
        return range(0, n);
    }

    /** The sum of {@code i * i} for {@code from <= i < to}; 0 when {@code to <= from}. */
    public static long range(long from, long to) {
        long sum = 0;
        for (long i = from; i < to; i++) {
            sum += i * i;
        }
        return sum;
    }

    /**
     * The baseline: {@link #of} of every number, one after another on the caller's thread, like the
     * sources' first CPU-bound program. Every version of the chapter is measured against it.
     *
     * @return the sums, in the order of {@code numbers}
     * @throws NullPointerException if {@code numbers} or one of its numbers is null
     */
    public static List<Long> sequential(List<Long> numbers) {
        Objects.requireNonNull(numbers, "numbers");
        List<Long> sums = new ArrayList<>(numbers.size());
        for (Long n : numbers) {
            sums.add(of(Objects.requireNonNull(n, "numbers contains null")));
        }
        return Collections.unmodifiableList(sums);
    }
}
