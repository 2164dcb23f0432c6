package ch07_processes;

/** A worker process ended (it crashed, or was killed) before it answered for the number it was given. */
public class WorkerDiedException extends RuntimeException {

    private final long number;

    /** @param detail what is known of its end, such as its exit status */
    public WorkerDiedException(long number, String detail) {
        super("the worker computing " + number + " died before answering: " + detail);
        this.number = number;
    }

    /** The number the worker was given when it died. */
    public long number() {
        return number;
    }
}
