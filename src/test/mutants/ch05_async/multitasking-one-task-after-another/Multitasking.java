// Mutant: the book, the phone and the ticker run one after another (each awaited before the next starts).
package ch05_async;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

public class Multitasking {

    private static final Duration SECOND = Duration.ofSeconds(1);

    public static List<String> readBookAndCheckPhone(EventLoop loop) {
        Log log = new Log(loop::now);
        log.add("book: start reading");
        CompletableFuture<Void> book = steps(loop, List.of(4, 4, 4, 4), page -> log.add("book: read page " + page));
        CompletableFuture<Void> all = book
                .thenCompose(read -> {
                    log.add("phone: start checking");
                    return steps(loop, List.of(2, 4, 1), message -> log.add("phone: message " + message));
                })
                .thenCompose(checked -> steps(loop, Collections.nCopies(20, 1), second -> log.add("tick " + second)))
                .thenRun(() -> log.add("all done"));
        loop.runUntilComplete(all);
        return log.lines();
    }

    public static List<String> fiveSleepers(EventLoop loop, long seed) {
        Log log = new Log(loop::now);
        Random random = new Random(seed);
        log.add("main: starting 5 sleepers");
        List<CompletableFuture<Void>> sleepers = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            int sleeper = i;
            Duration nap = Duration.ofMillis(random.nextInt(5001));
            CompletableFuture<Void> awake = new CompletableFuture<>();
            sleepers.add(awake);
            // Like asyncio.create_task: the sleeper starts when main gives the loop a turn.
            loop.callSoon(() -> {
                log.add("sleeper " + sleeper + ": sleeping " + nap.toMillis() + " ms");
                loop.sleep(nap).thenRun(() -> {
                    log.add("sleeper " + sleeper + ": woke up");
                    awake.complete(null);
                });
            });
        }
        CompletableFuture<Void> main = loop.sleep(Duration.ofSeconds(2))
                .thenCompose(slept -> {
                    log.add("main: waiting for the sleepers");
                    return CompletableFuture.allOf(sleepers.toArray(CompletableFuture[]::new));
                })
                .thenRun(() -> log.add("main: all sleepers done"));
        loop.runUntilComplete(main);
        return log.lines();
    }

    /** Waits {@code seconds.get(0)}, calls {@code step} with 1, waits the next, calls it with 2, ... */
    private static CompletableFuture<Void> steps(EventLoop loop, List<Integer> seconds, IntConsumer step) {
        return steps(loop, seconds, step, 0);
    }

    private static CompletableFuture<Void> steps(EventLoop loop, List<Integer> seconds, IntConsumer step, int done) {
        if (done == seconds.size()) {
            return CompletableFuture.completedFuture(null);
        }
        return loop.sleep(SECOND.multipliedBy(seconds.get(done))).thenCompose(slept -> {
            step.accept(done + 1);
            return steps(loop, seconds, step, done + 1);
        });
    }
}
