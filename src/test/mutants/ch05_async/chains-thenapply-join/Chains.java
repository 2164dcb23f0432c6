// Mutant: thenApply where thenCompose belongs: part2's future is joined inside part1's callback.
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
            chains.add(parts.part1(n).thenApply(first -> parts.part2(n, first).join()));
        }
        return chains.stream().map(CompletableFuture::join).toList();
    }
}
