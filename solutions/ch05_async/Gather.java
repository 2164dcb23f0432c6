package ch05_async;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Python's {@code asyncio.gather}, with and without {@code return_exceptions=True}. */
public class Gather {

    public static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> futures) {
        List<CompletableFuture<T>> all = checked(futures);
        CompletableFuture<List<T>> result = new CompletableFuture<>();
        // allOf alone would wait for every future even after one has failed: fail at the first failure.
        for (CompletableFuture<T> future : all) {
            future.whenComplete((value, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(unwrap(failure));
                }
            });
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenRun(() -> result.complete(all.stream().map(CompletableFuture::join).toList()));
        return result;
    }

    public static <T> CompletableFuture<List<Outcome<T>>> allSettled(List<CompletableFuture<T>> futures) {
        List<CompletableFuture<T>> all = checked(futures);
        List<CompletableFuture<Outcome<T>>> settled = new ArrayList<>();
        for (CompletableFuture<T> future : all) {
            settled.add(future.handle((value, failure) ->
                    failure == null ? new Outcome.Success<>(value) : new Outcome.Failed<>(unwrap(failure))));
        }
        return CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new))
                .thenApply(done -> settled.stream().map(CompletableFuture::join).toList());
    }

    private static <T> List<CompletableFuture<T>> checked(List<CompletableFuture<T>> futures) {
        Objects.requireNonNull(futures, "futures");
        futures.forEach(future -> Objects.requireNonNull(future, "futures must not contain null"));
        return List.copyOf(futures);
    }

    /** The exception that failed a stage, not the CompletionException a dependent stage wraps it in. */
    private static Throwable unwrap(Throwable failure) {
        while ((failure instanceof CompletionException || failure instanceof ExecutionException)
                && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure;
    }
}
