package ch11_generators;

import java.util.function.LongFunction;
import java.util.stream.Stream;

/**
 * Exercise 31: values just in time, like the source's generator of squares: a Java stream is
 * lazy, and it can be infinite. See README.md in this folder.
 */
public class Generators {

    /**
     * The squares of 1, 2, 3, ...: 1, 4, 9, ..., for ever, each computed only when it is asked
     * for. A new stream on every call. (In long arithmetic: past 3,037,000,499 squared they wrap.)
     */
    public static Stream<Long> squares() {
        throw new UnsupportedOperationException("TODO: generate(n -> n * n)");
    }

    /**
     * fn(1), fn(2), fn(3), ..., for ever: a lazy stream. Making the stream calls fn not at all;
     * fn(n) is called when the n-th value is asked for, once, on the thread that asks.
     *
     * @throws NullPointerException if {@code fn} is null
     */
    public static <T> Stream<T> generate(LongFunction<? extends T> fn) {
        throw new UnsupportedOperationException("TODO: Stream.iterate(1L, n -> n + 1).map(...)");
    }
}
