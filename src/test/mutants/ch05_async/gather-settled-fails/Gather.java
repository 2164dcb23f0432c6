// Mutant: allSettled waits with allOf on the futures themselves, so it fails when one of them fails.
package ch05_async;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

public class Gather {

    public static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> futures) {
        Objects.requireNonNull(futures, "futures");
        futures.forEach(f -> Objects.requireNonNull(f, "futures must not contain null"));
        CompletableFuture<List<T>> result = new CompletableFuture<>();
        for (CompletableFuture<T> future : futures) {
            future.whenComplete((value, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(failure instanceof CompletionException ? failure.getCause() : failure);
                }
            });
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenRun(() -> result.complete(futures.stream().map(CompletableFuture::join).toList()));
        return result;
    }

    public static <T> CompletableFuture<List<Outcome<T>>> allSettled(List<CompletableFuture<T>> futures) {
        Objects.requireNonNull(futures, "futures");
        futures.forEach(f -> Objects.requireNonNull(f, "futures must not contain null"));
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(done -> futures.stream().<Outcome<T>>map(f -> new Outcome.Success<>(f.join())).toList());
    }
}
