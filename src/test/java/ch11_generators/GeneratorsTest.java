package ch11_generators;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import kit.Arguments;
import kit.Exercise;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(31)
class GeneratorsTest {

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("squares() starts 1, 4, 9, ..., 400: the squares of 1 to 20, as in the sources")
    void firstTwentySquares() {
        assertThat(Generators.squares().limit(20).toList()).as("the first 20 values of squares()")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 20).map(n -> n * n).boxed().toList());
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("squares() never ends: its millionth and ten-millionth values are there")
    void squaresAreInfinite() {
        for (long n : new long[] {1_000_000, 10_000_000}) {
            Optional<Long> value = Generators.squares().skip(n - 1).findFirst();
            assertThat(value).as("value number %,d of squares(): the stream must be infinite (Stream.iterate or"
                    + " Stream.generate), not a list of squares made in advance", n).contains(n * n);
        }
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("generate(fn) is lazy: fn runs only for the values asked for, once each, in order")
    void generateIsLazy() {
        List<Long> calls = new CopyOnWriteArrayList<>();
        Stream<String> values = Generators.generate(n -> {
            calls.add(n);
            return "value " + n;
        });
        assertThat(calls).as("calls of fn made by generate(fn) before any value was asked for: a generator computes"
                + " nothing in advance").isEmpty();
        Iterator<String> iterator = values.iterator();
        assertThat(iterator.next()).isEqualTo("value 1");
        assertThat(iterator.next()).isEqualTo("value 2");
        assertThat(calls).as("calls of fn once 2 values were taken: fn(n) when value n is asked for, once each,"
                + " nothing in advance").containsExactly(1L, 2L);
        calls.clear();
        assertThat(Generators.generate(n -> {
            calls.add(n);
            return n * 3;
        }).limit(5).toList()).as("generate(n -> 3n).limit(5)").containsExactly(3L, 6L, 9L, 12L, 15L);
        assertThat(calls).as("calls of fn for limit(5): exactly 5, nothing in advance").containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    @Order(4)
    @Points(1)
    @DisplayName("each call gives a new stream; generate(null) is refused, naming the argument")
    void newStreamEachCallAndNull() {
        Stream<Long> first = Generators.squares();
        assertThat(first.limit(3).toList()).containsExactly(1L, 4L, 9L);
        Throwable second = Arguments.thrownBy(() -> Generators.squares().limit(3).toList());
        assertThat(second).as("what a second squares() threw once the first had been used: each call must make a new"
                + " stream (a stream can be used only once)").isNull();
        Arguments.assertRefused("generate(null)", NullPointerException.class, "fn", () -> Generators.generate(null));
    }
}
