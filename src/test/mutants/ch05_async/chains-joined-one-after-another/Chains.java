// Mutant: chains joined one after another: each chain is waited for before the next one starts.
package ch05_async;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

public class Chains {

    public static List<String> runAll(Parts parts, int... ns) {
        Objects.requireNonNull(parts, "parts");
        Objects.requireNonNull(ns, "ns");
        List<String> results = new ArrayList<>();
        for (int n : ns) {
            results.add(parts.part1(n).thenCompose(first -> parts.part2(n, first)).join());
        }
        return results;
    }
}
