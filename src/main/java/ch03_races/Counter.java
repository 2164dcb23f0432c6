package ch03_races;

/** A counter that several threads may share. Implementations say whether they are thread-safe. */
public interface Counter {

    /** Adds one. */
    void increment();

    /** The count so far. */
    long get();
}
