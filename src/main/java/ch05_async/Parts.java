package ch05_async;

import java.util.concurrent.CompletableFuture;

/**
 * The two steps of the source's chained program: {@code part1(n)} takes a while and gives
 * {@code "result{n}-1"}; {@code part2(n, arg)} takes a while and gives
 * {@code "result{n}-2 derived from {arg}"}, where {@code arg} must be what part1(n) gave. Both
 * return at once; the future completes when the step is done.
 */
public interface Parts {

    CompletableFuture<String> part1(int n);

    CompletableFuture<String> part2(int n, String arg);
}
