// Mutant: all() collects the values in the order the futures complete, not in list order.
package ch05_async;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

public class Gather {

    public static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> futures) {
        Objects.requireNonNull(futures, "futures");
        futures.forEach(f -> Objects.requireNonNull(f, "futures must not contain null"));
        List<T> values = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<List<T>> result = new CompletableFuture<>();
        for (CompletableFuture<T> future : futures) {
            future.whenComplete((value, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(failure instanceof CompletionException ? failure.getCause() : failure);
                } else {
                    values.add(value);
                    if (values.size() == futures.size()) {
                        result.complete(List.copyOf(values));
                    }
                }
            });
        }
        if (futures.isEmpty()) {
            result.complete(List.of());
        }
        return result;
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
