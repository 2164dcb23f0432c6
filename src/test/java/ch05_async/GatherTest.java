package ch05_async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import kit.Arguments;
import kit.Exercise;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** The futures are completed by hand on the test thread, in an order the test chooses: no timing. */
@Exercise(15)
class GatherTest {

    private static List<CompletableFuture<String>> pending(int n) {
        return IntStream.range(0, n).mapToObj(i -> new CompletableFuture<String>()).toList();
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("all: every value, in the order of the list, though they complete in reverse")
    void allKeepsListOrder() {
        List<CompletableFuture<String>> futures = pending(4);
        CompletableFuture<List<String>> gathered = Gather.all(futures);
        for (int i = 3; i >= 0; i--) {
            assertThat(gathered).as("all(...) before every future has completed").isNotDone();
            futures.get(i).complete("value " + i);
        }
        assertThat(gathered.join()).as("all(...) of futures completed from last to first: values in list order,"
                + " not completion order").containsExactly("value 0", "value 1", "value 2", "value 3");
    }

    @Test
    @Order(2)
    @Points(1)
    @DisplayName("all of no futures completes at once with an empty list")
    void allOfNothing() {
        assertThat(Gather.all(List.<CompletableFuture<String>>of()).join()).isEmpty();
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("all fails as soon as one future fails, with its exception, without waiting for the others")
    void allFailsFast() {
        List<CompletableFuture<String>> futures = pending(3);
        CompletableFuture<List<String>> gathered = Gather.all(futures);
        IllegalStateException boom = new IllegalStateException("boom");
        futures.get(1).completeExceptionally(boom);
        assertThat(gathered)
                .as("all(...) after one future failed while the others are still running: still waiting."
                        + " CompletableFuture.allOf waits for every future, even after a failure; fail the result"
                        + " yourself when any future fails")
                .isCompletedExceptionally();
        assertThatThrownBy(gathered::join).as("what all(...) failed with: the failed future's own exception")
                .isInstanceOf(CompletionException.class).cause().isSameAs(boom);
    }

    @Test
    @Order(4)
    @Points(1)
    @DisplayName("all fails with the original exception when a future failed through a dependent stage")
    void allUnwraps() {
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<String> source = new CompletableFuture<>();
        CompletableFuture<String> dependent = source.thenApply(value -> value + "!");
        CompletableFuture<List<String>> gathered = Gather.all(List.of(dependent, new CompletableFuture<>()));
        source.completeExceptionally(boom);
        assertThat(gathered.handle((value, failure) -> failure).join())
                .as("the exception all(...) failed with (as handle sees it) when a stage failed because the stage"
                        + " before it did: the original exception, not the CompletionException the dependent stage"
                        + " wraps it in").isSameAs(boom);
    }

    @Test
    @Order(5)
    @Points(1)
    @DisplayName("all keeps null values in their place")
    void allKeepsNulls() {
        List<CompletableFuture<String>> futures = pending(3);
        CompletableFuture<List<String>> gathered = Gather.all(futures);
        futures.get(0).complete(null);
        futures.get(1).complete("value 1");
        futures.get(2).complete(null);
        assertThat(gathered).as("all(...) after every future completed, two of them with null: it never completed"
                + " or failed. A null value is a value; List.copyOf, List.of and Collectors.toUnmodifiableList refuse"
                + " null").isCompleted();
        assertThat(gathered.join()).as("all(...) of futures that completed with null, \"value 1\" and null")
                .containsExactly(null, "value 1", null);
    }

    @Test
    @Order(6)
    @Points(2)
    @DisplayName("allSettled never fails: each value or exception, in the order of the list")
    void allSettledKeepsEverything() {
        List<CompletableFuture<String>> futures = pending(4);
        CompletableFuture<List<Outcome<String>>> settled = Gather.allSettled(futures);
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        futures.get(3).complete(null);
        futures.get(2).complete("third");
        futures.get(1).completeExceptionally(boom);
        assertThat(settled).as("allSettled(...) while a future is still running").isNotDone();
        futures.get(0).complete("first");
        assertThat(settled).as("allSettled(...) after one of its futures failed: it failed too. allSettled never"
                + " fails: turn each future into an Outcome (handle) before waiting for them all")
                .isNotCompletedExceptionally();
        assertThat(settled.join()).as("allSettled(...) of [\"first\", a failure, \"third\", null], completed last to"
                        + " first: outcomes in list order, the failure as the exception itself (not wrapped)")
                .containsExactly(new Outcome.Success<>("first"), new Outcome.Failed<>(boom),
                        new Outcome.Success<>("third"), new Outcome.Success<>(null));
    }

    @Test
    @Order(7)
    @Points(1)
    @DisplayName("allSettled unwraps a failure that reached a future through a dependent stage")
    void allSettledUnwraps() {
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<String> source = new CompletableFuture<>();
        CompletableFuture<String> dependent = source.thenApply(value -> value + "!");
        source.completeExceptionally(boom);
        assertThat(Gather.allSettled(List.of(dependent)).join())
                .as("allSettled of a stage that failed because the stage before it did: the original exception,"
                        + " not the CompletionException the dependent stage wraps it in")
                .containsExactly(new Outcome.Failed<>(boom));
    }

    @Test
    @Order(8)
    @Points(1)
    @DisplayName("a null list or a null future is refused, naming the argument")
    void nullsAreRefused() {
        List<CompletableFuture<String>> withNull = new ArrayList<>();
        withNull.add(null);
        Arguments.assertRefused("all(null)", NullPointerException.class, "futures", () -> Gather.all(null));
        Arguments.assertRefused("allSettled(null)", NullPointerException.class, "futures", () -> Gather.allSettled(null));
        Arguments.assertRefused("all([null])", NullPointerException.class, "futures", () -> Gather.all(withNull));
        Arguments.assertRefused("allSettled([null])", NullPointerException.class, "futures",
                () -> Gather.allSettled(withNull));
    }
}
