package ch04_futures;

import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Every task of {@code Timeouts.firstSuccessful} failed. Unlike {@code invokeAny}'s
 * ExecutionException, which keeps one cause, this keeps each task's, in task order; the first
 * is also {@link #getCause()} and the others are suppressed, so a stack trace shows them all.
 */
public final class AllFailedException extends CompletionException {

    private final List<Throwable> causes;

    public AllFailedException(List<Throwable> causes) {
        super("all " + causes.size() + " tasks failed", causes.isEmpty() ? null : causes.get(0));
        this.causes = List.copyOf(causes);
        this.causes.stream().skip(1).forEach(this::addSuppressed);
    }

    /** What each task failed with, in the order the tasks were given. */
    public List<Throwable> causes() {
        return causes;
    }
}
