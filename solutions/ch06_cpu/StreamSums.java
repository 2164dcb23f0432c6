package ch06_cpu;

import java.util.List;
import java.util.Objects;

/**
 * A parallel stream: the list is split into parts that the common fork/join pool's workers and the
 * caller compute at the same time. {@code toList()} keeps the encounter order, the order of the
 * numbers, however the parts were split and whichever finished first. No state is shared.
 */
public class StreamSums {

    public static List<Long> compute(List<Long> numbers) {
        Objects.requireNonNull(numbers, "numbers");
        // Checked here: a worker's exception reaches the caller as a copy that may lose its message.
        numbers.forEach(n -> Objects.requireNonNull(n, "numbers contains null"));
        return numbers.parallelStream().map(SumOfSquares::of).toList();
    }
}
