package ch05_async;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Every chain starts before any is waited for; within a chain, part2 is composed onto part1
 * ({@code thenCompose}), so it starts when part1's result is there and no thread waits in between.
 */
public class Chains {

    public static List<String> runAll(Parts parts, int... ns) {
        Objects.requireNonNull(parts, "parts");
        Objects.requireNonNull(ns, "ns");
        List<CompletableFuture<String>> chains = new ArrayList<>();
        for (int n : ns) {
            chains.add(parts.part1(n).thenCompose(first -> parts.part2(n, first)));
        }
        // All are running now: waiting for them in order costs only as long as the longest.
        return chains.stream().map(CompletableFuture::join).toList();
    }
}
