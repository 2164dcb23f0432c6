package ch09_sync;

/**
 * Exercise 26: runners that get ready, then all start at the same moment when the gun fires,
 * and a gun that fires only once every runner is ready: two CountDownLatches. See README.md in
 * this folder.
 */
public class StartingGun {

    /**
     * Starts {@code runners} threads of its own. Runner r first gets ready:
     * {@code ready.run(r)}. Then it waits for the gun, which fires once every runner is ready
     * (every {@code ready.run} has returned), and then runs: {@code go.run(r)}. Returns once
     * every runner has finished and its thread has ended.
     *
     * <p>If a {@code ready.run} throws, the gun never fires: no runner runs {@code go}, and every
     * runner ends. If a {@code go.run} throws, the other runners still run.
     *
     * @throws java.util.concurrent.CompletionException once every runner thread has ended, if
     *     {@code ready} or {@code go} threw: the first such exception is the cause
     * @throws IllegalArgumentException if {@code runners} is below 1
     * @throws NullPointerException if {@code ready} or {@code go} is null
     */
    public static void race(int runners, Task ready, Task go) throws InterruptedException {
        throw new UnsupportedOperationException("TODO: runners count a 'ready' latch down once ready, then await a 'gun' latch of 1");
    }
}
