// Mutant: part2 started beside part1 (thenCombine) with the argument guessed instead of waiting for part1's result.
package ch05_async;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

public class Chains {

    public static List<String> runAll(Parts parts, int... ns) {
        Objects.requireNonNull(parts, "parts");
        Objects.requireNonNull(ns, "ns");
        List<CompletableFuture<String>> chains = new ArrayList<>();
        for (int n : ns) {
            chains.add(parts.part1(n).thenCombine(parts.part2(n, "result" + n + "-1"), (first, second) -> second));
        }
        return chains.stream().map(CompletableFuture::join).toList();
    }
}
