package ch05_async;

import java.util.Objects;

/**
 * How one future ended, for {@code Gather.allSettled}: Python's
 * {@code gather(..., return_exceptions=True)} gives a value or the exception itself; here each
 * is wrapped so that a list can hold both.
 */
public sealed interface Outcome<T> permits Outcome.Success, Outcome.Failed {

    /** The future completed with {@code value}. */
    record Success<T>(T value) implements Outcome<T> {
    }

    /** The future failed; {@code cause} is the exception that failed it, not a wrapper around it. */
    record Failed<T>(Throwable cause) implements Outcome<T> {
        public Failed {
            Objects.requireNonNull(cause, "cause");
        }
    }
}
