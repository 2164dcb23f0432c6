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
import java.util.function.BiFunction;

/**
 * {@link RandomParts}' delays and results (or delays of a test's own), watched. Every part
 * completes on one thread, as the I/O thread of an asynchronous client would: a callback that
 * waits on that thread for another part would wait for ever, so such a wait is refused and
 * recorded. Also recorded: a platform thread other than runAll's caller that sits waiting for a
 * part (a join() moved onto a pool's thread), a part2 that starts before its part1 has completed
 * or well after it, and how many chains were running at once.
 */
final class WatchedParts implements Parts, AutoCloseable {

    /** Every part takes at least this long, so that callbacks are registered before it completes. */
    private static final Duration FLOOR = Duration.ofMillis(30);
    /**
     * A part2 started this long after its part1 completed waited for something else first: composed
     * onto part1 it starts at once (on the completing thread), or within milliseconds (Async variants).
     */
    static final Duration LATE = Duration.ofMillis(150);

    private final BiFunction<Integer, Integer, Duration> delay;
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final List<RuntimeException> thrown = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService completer;
    private final Thread completerThread;
    private volatile Thread caller;
    private final Map<Integer, CompletableFuture<String>> part1s = new ConcurrentHashMap<>();
    private final Map<Integer, Long> part1Completed = new ConcurrentHashMap<>();
    private final List<String> mistakes = new CopyOnWriteArrayList<>();
    private final AtomicInteger chainsRunning = new AtomicInteger();
    private final AtomicInteger mostChainsRunning = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong latestPart2 = new java.util.concurrent.atomic.AtomicLong();

    /** Parts with the delays of {@code new RandomParts(seed, maxDelay)} plus {@link #FLOOR}. */
    WatchedParts(long seed, Duration maxDelay) {
        this(randomDelays(new RandomParts(seed, maxDelay)));
    }

    private static BiFunction<Integer, Integer, Duration> randomDelays(RandomParts random) {
        return (n, part) -> random.delay(n, part).plus(FLOOR);
    }

    /** Parts where part1(n) takes {@code part1.get(n)} and every part2 takes {@code part2}. */
    static WatchedParts withDelays(Map<Integer, Duration> part1, Duration part2) {
        return new WatchedParts((n, part) -> part == 1 ? part1.get(n) : part2);
    }

    private WatchedParts(BiFunction<Integer, Integer, Duration> delay) {
        this.delay = delay;
        this.completer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task);
            thread.setDaemon(true);
            return thread;
        });
        try {
            this.completerThread = completer.submit(Thread::currentThread).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes {@code part} (1 or 2) of chain {@code n} fail. */
    WatchedParts failOn(int n, int part) {
        failing.add(n + ":" + part);
        return this;
    }

    /** The exceptions the failing parts failed with, in the order they failed. */
    List<RuntimeException> thrown() {
        return List.copyOf(thrown);
    }

    /** The thread that calls runAll: the one thread allowed to wait for the chains. */
    void calledBy(Thread thread) {
        caller = thread;
    }

    /** How long chain {@code n} takes on its own: its part1 then its part2. */
    Duration chain(int n) {
        return delay.apply(n, 1).plus(delay.apply(n, 2));
    }

    /** The longest time between a part1 completing and its part2 being called, in ms. */
    long latestPart2Millis() {
        return TimeUnit.NANOSECONDS.toMillis(latestPart2.get());
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
            part1Completed.put(n, System.nanoTime());
            if (failing.contains(n + ":1")) {
                chainsRunning.decrementAndGet();
                future.completeExceptionally(failure("part1(" + n + ") failed, as this test wanted"));
            } else {
                future.complete(RandomParts.result1(n));
            }
        }, delay.apply(n, 1).toNanos(), TimeUnit.NANOSECONDS);
        return future;
    }

    @Override
    public CompletableFuture<String> part2(int n, String arg) {
        CompletableFuture<String> first = part1s.get(n);
        Long completed = part1Completed.get(n);
        if (completed != null) {
            latestPart2.accumulateAndGet(System.nanoTime() - completed, Math::max);
        }
        if (first == null) {
            mistakes.add("part2(" + n + ", ...) was called, but part1(" + n + ") never was: each chain starts with part1.");
        } else if (!first.isDone()) {
            mistakes.add("part2(" + n + ", \"" + arg + "\") started while part1(" + n + ") was still running: part2"
                    + " must wait for part1's result. Compose it onto part1's future with thenCompose.");
        } else if (!first.join().equals(arg)) {
            mistakes.add("part2(" + n + ", \"" + arg + "\") was given something other than what part1(" + n
                    + ") gave (\"" + first.join() + "\"): pass part1's result on.");
        } else if (completed != null && System.nanoTime() - completed > LATE.toNanos()) {
            mistakes.add("part2(" + n + ", ...) started " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - completed)
                    + " ms after part1(" + n + ") had completed: it waited for something else first (each part1"
                    + " joined in turn before its part2?). Compose part2 onto part1 with thenCompose, so that it"
                    + " starts as soon as part1 completes.");
        }
        WatchedFuture<String> future = new WatchedFuture<>();
        completer.schedule(() -> {
            chainsRunning.decrementAndGet();
            if (failing.contains(n + ":2")) {
                future.completeExceptionally(failure("part2(" + n + ") failed, as this test wanted"));
            } else {
                future.complete(RandomParts.result2(n, arg));
            }
        }, delay.apply(n, 2).toNanos(), TimeUnit.NANOSECONDS);
        return future;
    }

    private RuntimeException failure(String message) {
        RuntimeException failure = new PartFailedException(message);
        thrown.add(failure);
        return failure;
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

    /** A future that refuses to be waited for on the thread that completes the parts, and notes other waits. */
    private final class WatchedFuture<T> extends CompletableFuture<T> {

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new WatchedFuture<>();
        }

        @Override
        public T join() {
            watchWait("join()");
            return super.join();
        }

        @Override
        public T get() throws InterruptedException, ExecutionException {
            watchWait("get()");
            return super.get();
        }

        @Override
        public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            watchWait("get(timeout)");
            return super.get(timeout, unit);
        }

        private void watchWait(String how) {
            if (isDone()) {
                return; // nothing to wait for
            }
            Thread waiter = Thread.currentThread();
            if (waiter == completerThread) {
                String mistake = "a part's future was waited for with " + how + " inside a callback (thenApply?),"
                        + " on the thread that completes the parts: it would wait for ever. Use thenCompose to"
                        + " start part2 from part1's result.";
                mistakes.add(mistake);
                throw new IllegalStateException(mistake);
            }
            if (waiter != caller && !waiter.isVirtual()) {
                // A virtual thread may block: that is what they are for. A pool's platform thread may not.
                mistakes.add("a part's future was waited for with " + how + " on another thread (" + waiter.getName()
                        + "), which sits blocked until the part is done: the join() was moved onto a pool's thread"
                        + " (thenApplyAsync, supplyAsync?) rather than removed. Compose the steps with thenCompose,"
                        + " so that no thread waits between them.");
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
