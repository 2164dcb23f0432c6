package ch04_futures;

/** {@code fn} failed on one item of {@code ParallelMap.map}: which one, and why (the cause). */
public class ItemFailedException extends RuntimeException {

    private final int index;

    public ItemFailedException(int index, Throwable cause) {
        super("item " + index + " failed: " + cause, cause);
        this.index = index;
    }

    /** The failing item's index in the input list. */
    public int index() {
        return index;
    }
}
