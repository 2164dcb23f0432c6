package ch09_sync;

/** What one runner of {@code StartingGun.race} does: get ready, or run. */
@FunctionalInterface
public interface Task {

    /** @param runner the runner, 0 .. runners - 1 */
    void run(int runner) throws Exception;
}
