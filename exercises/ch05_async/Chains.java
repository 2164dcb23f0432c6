package ch05_async;

import java.util.List;

/**
 * Exercise 14: dependent steps, many chains at once.
 *
 * <p>The source gathers three chains; in each, part2 needs part1's result. Start every chain
 * before waiting for any, and within a chain let part2 start as soon as part1's future completes
 * ({@code thenCompose}): no platform thread, of a pool or your own, may sit waiting for a part
 * (a virtual thread may: blocking is what they are for). Only the caller of runAll waits, for
 * the results. See README.md in this folder.
 */
public class Chains {

    /**
     * Runs chain n = part1(n) then part2(n, what part1 gave) for every n of {@code ns}, all at once.
     *
     * @return part2's results in the order of {@code ns}, e.g.
     *     {@code "result1-2 derived from result1-1"}; takes about as long as the longest chain
     * @throws java.util.concurrent.CompletionException with the failing part's own exception (the very
     *     same object) as its cause, if a part fails
     * @throws NullPointerException if {@code parts} or {@code ns} is null
     */
    public static List<String> runAll(Parts parts, int... ns) {
        throw new UnsupportedOperationException("TODO: start part1(n).thenCompose(...part2...) for every n, then join them all");
    }
}
