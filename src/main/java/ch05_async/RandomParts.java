package ch05_async;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link Parts} that take a random time, the same for the same seed, n and part: the source's
 * random 0–10 s sleeps, scaled down to milliseconds. Thread-safe.
 */
public final class RandomParts implements Parts {

    private final long seed;
    private final Duration maxDelay;

    /** Each part takes from 0 up to {@code maxDelay} (exclusive). */
    public RandomParts(long seed, Duration maxDelay) {
        if (maxDelay.isNegative() || maxDelay.isZero()) {
            throw new IllegalArgumentException("maxDelay must be positive, was " + maxDelay);
        }
        this.seed = seed;
        this.maxDelay = maxDelay;
    }

    /** How long {@code part} (1 or 2) of chain {@code n} takes. */
    public Duration delay(int n, int part) {
        if (part != 1 && part != 2) {
            throw new IllegalArgumentException("part must be 1 or 2, was " + part);
        }
        // One generator per (n, part), so the delay does not depend on which part asks first.
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + n * 31L + part);
        return Duration.ofMillis(random.nextLong(maxDelay.toMillis()));
    }

    /** What part1(n) gives. */
    public static String result1(int n) {
        return "result" + n + "-1";
    }

    /** What part2(n, arg) gives. */
    public static String result2(int n, String arg) {
        return "result" + n + "-2 derived from " + arg;
    }

    @Override
    public CompletableFuture<String> part1(int n) {
        return after(delay(n, 1), result1(n));
    }

    @Override
    public CompletableFuture<String> part2(int n, String arg) {
        return after(delay(n, 2), result2(n, arg));
    }

    private static CompletableFuture<String> after(Duration delay, String value) {
        return CompletableFuture.supplyAsync(() -> value,
                CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS));
    }
}
