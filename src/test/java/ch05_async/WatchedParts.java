package ch05_async;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link RandomParts}' delays and results, watched. Every part completes on one thread, as the
 * I/O thread of an asynchronous client would: a callback that waits on that thread for another
 * part would wait for ever, so such a wait is refused and recorded. Also recorded: a part2 that
 * starts before its part1 has completed, and how many chains were running at once.
 */
final class WatchedParts implements Parts, AutoCloseable {

    /** Every part takes at least this long, so that callbacks are registered before it completes. */
    private static final Duration FLOOR = Duration.ofMillis(30);

    private final RandomParts random;
    private final Set<Integer> failing;
    private final ScheduledExecutorService completer;
    private final Thread completerThread;
    private final Map<Integer, CompletableFuture<String>> part1s = new ConcurrentHashMap<>();
    private final List<String> mistakes = new CopyOnWriteArrayList<>();
    private final AtomicInteger chainsRunning = new AtomicInteger();
    private final AtomicInteger mostChainsRunning = new AtomicInteger();

    /** Parts with the delays of {@code new RandomParts(seed, maxDelay)} plus {@link #FLOOR}; part1 of {@code failing} fails. */
    WatchedParts(long seed, Duration maxDelay, Integer... failing) {
        this.random = new RandomParts(seed, maxDelay);
        this.failing = Set.of(failing);
        this.completer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "parts-completer");
            thread.setDaemon(true);
            return thread;
        });
        try {
            this.completerThread = completer.submit(Thread::currentThread).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How long chain {@code n} takes on its own: its part1 then its part2. */
    Duration chain(int n) {
        return random.delay(n, 1).plus(random.delay(n, 2)).plus(FLOOR.multipliedBy(2));
    }

    /** The mistakes seen so far, each a sentence for the student. */
    List<String> mistakes() {
        return List.copyOf(mistakes);
    }

    /** The most chains that were running at one moment (started part1, part2 not yet completed). */
    int mostChainsRunning() {
        return mostChainsRunning.get();
    }

    @Override
    public CompletableFuture<String> part1(int n) {
        mostChainsRunning.accumulateAndGet(chainsRunning.incrementAndGet(), Math::max);
        WatchedFuture<String> future = new WatchedFuture<>();
        part1s.put(n, future);
        completer.schedule(() -> {
            if (failing.contains(n)) {
                chainsRunning.decrementAndGet();
                future.completeExceptionally(new PartFailedException("part1(" + n + ") failed, as this test wanted"));
            } else {
                future.complete(RandomParts.result1(n));
            }
        }, random.delay(n, 1).plus(FLOOR).toNanos(), TimeUnit.NANOSECONDS);
        return future;
    }

    @Override
    public CompletableFuture<String> part2(int n, String arg) {
        CompletableFuture<String> first = part1s.get(n);
        if (first == null) {
            mistakes.add("part2(" + n + ", ...) was called, but part1(" + n + ") never was: each chain starts with part1.");
        } else if (!first.isDone()) {
            mistakes.add("part2(" + n + ", \"" + arg + "\") started while part1(" + n + ") was still running: part2"
                    + " must wait for part1's result. Compose it onto part1's future with thenCompose.");
        } else if (!first.join().equals(arg)) {
            mistakes.add("part2(" + n + ", \"" + arg + "\") was given something other than what part1(" + n
                    + ") gave (\"" + first.join() + "\"): pass part1's result on.");
        }
        WatchedFuture<String> future = new WatchedFuture<>();
        completer.schedule(() -> {
            chainsRunning.decrementAndGet();
            future.complete(RandomParts.result2(n, arg));
        }, random.delay(n, 2).plus(FLOOR).toNanos(), TimeUnit.NANOSECONDS);
        return future;
    }

    @Override
    public void close() {
        completer.shutdownNow();
    }

    /** A part that fails on purpose. */
    static final class PartFailedException extends RuntimeException {
        PartFailedException(String message) {
            super(message);
        }
    }

    /** A future that refuses to be waited for on the thread that completes the parts. */
    private final class WatchedFuture<T> extends CompletableFuture<T> {

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new WatchedFuture<>();
        }

        @Override
        public T join() {
            refuseWaitOnCompleter("join()");
            return super.join();
        }

        @Override
        public T get() throws InterruptedException, ExecutionException {
            refuseWaitOnCompleter("get()");
            return super.get();
        }

        @Override
        public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            refuseWaitOnCompleter("get(timeout)");
            return super.get(timeout, unit);
        }

        private void refuseWaitOnCompleter(String how) {
            if (Thread.currentThread() == completerThread && !isDone()) {
                String mistake = "a part's future was waited for with " + how + " inside a callback (thenApply?),"
                        + " on the thread that completes the parts: it would wait for ever. Use thenCompose to"
                        + " start part2 from part1's result.";
                mistakes.add(mistake);
                throw new IllegalStateException(mistake);
            }
        }
    }

    /** For the failure message: each chain's length in ms. */
    List<Long> chainMillis(int... ns) {
        List<Long> millis = new ArrayList<>();
        for (int n : ns) {
            millis.add(chain(n).toMillis());
        }
        return millis;
    }
}
