// Mutant: all() built on allOf alone: after a failure it still waits for every other future.
package ch05_async;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

public class Gather {

    public static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> futures) {
        Objects.requireNonNull(futures, "futures");
        futures.forEach(f -> Objects.requireNonNull(f, "futures must not contain null"));
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(done -> futures.stream().map(CompletableFuture::join).toList());
    }

    public static <T> CompletableFuture<List<Outcome<T>>> allSettled(List<CompletableFuture<T>> futures) {
        Objects.requireNonNull(futures, "futures");
        futures.forEach(f -> Objects.requireNonNull(f, "futures must not contain null"));
        List<CompletableFuture<Outcome<T>>> settled = new ArrayList<>();
        for (CompletableFuture<T> future : futures) {
            settled.add(future.handle((value, failure) -> failure == null ? new Outcome.Success<>(value)
                    : new Outcome.Failed<>(failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure)));
        }
        return CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new))
                .thenApply(done -> settled.stream().map(CompletableFuture::join).toList());
    }
}
