package ch11_generators;

import java.util.Objects;
import java.util.function.LongFunction;
import java.util.stream.Stream;

/** Streams are lazy: nothing runs until a terminal operation pulls values, one at a time. */
public class Generators {

    public static Stream<Long> squares() {
        return generate(n -> n * n);
    }

    public static <T> Stream<T> generate(LongFunction<? extends T> fn) {
        Objects.requireNonNull(fn, "fn");
        return Stream.iterate(1L, n -> n + 1).map(fn::apply);
    }
}
