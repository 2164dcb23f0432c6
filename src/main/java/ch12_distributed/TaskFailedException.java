package ch12_distributed;

import java.util.Objects;

/** A task that ran on a worker and failed there: {@link #error()} is the message the worker sent back. */
public class TaskFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String error;

    /**
     * @param task what was submitted, e.g. {@code divide(1, 0)}
     * @param error the error message the worker replied with, e.g. {@code / by zero}
     */
    public TaskFailedException(String task, String error) {
        super(task + " failed on the worker: " + Objects.requireNonNull(error, "error"));
        this.error = error;
    }

    /** The error message the worker replied with. */
    public String error() {
        return error;
    }
}
