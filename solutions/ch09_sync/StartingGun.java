package ch09_sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Two latches: {@code ready} (one count per runner, counted down once its ready step is over,
 * in a finally, so that a failure cannot leave the gun waiting) and {@code gun} (one count, the
 * caller's, once {@code ready} is open). {@code notReady} is written before the latches are
 * counted down, so every runner past the gun sees it.
 */
public class StartingGun {

    public static void race(int runners, Task ready, Task go) throws InterruptedException {
        if (runners < 1) {
            throw new IllegalArgumentException("runners must be at least 1, was " + runners);
        }
        Objects.requireNonNull(ready, "ready");
        Objects.requireNonNull(go, "go");
        CountDownLatch allReady = new CountDownLatch(runners);
        CountDownLatch gun = new CountDownLatch(1);
        AtomicReference<Exception> failure = new AtomicReference<>(); // the first of any
        AtomicReference<Exception> notReady = new AtomicReference<>(); // the first ready step's
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < runners; r++) {
            int runner = r;
            threads.add(Thread.ofPlatform().name("runner-" + r).start(() -> {
                try {
                    try {
                        ready.run(runner);
                    } catch (Exception e) {
                        notReady.compareAndSet(null, e);
                        failure.compareAndSet(null, e);
                    } finally {
                        allReady.countDown(); // after ready, whatever happened in it
                    }
                    gun.await();
                    if (notReady.get() == null) { // a failed go of another runner stops nobody
                        go.run(runner);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        try {
            allReady.await();
        } finally {
            gun.countDown(); // also when interrupted: no runner may wait for ever
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new CompletionException(failure.get());
        }
    }
}
