package kit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Lets the threads that call {@link #arrive} go on two at a time, the two at the same instant: once
 * all have arrived (or a bound has passed), pairs 0 and 1, 2 and 3, ... are let go in turn, the
 * next pair once both threads of the one before have ended. The two of a pair spin until each has
 * seen the other spinning a moment ago, so both are on a CPU when they go, whatever else the
 * machine runs; what they do next, they do at once, each pair on the state the pairs before left.
 * It needs two CPUs. {@link #lostByAHashMap} shows what that does to a {@code HashMap} on this
 * machine now, which is how a test knows whether its own pairs could show a race.
 */
public final class InPairs {

    private static final Duration ALL_ARRIVED = Duration.ofSeconds(2);
    private static final Duration THREAD_ENDS = Duration.ofSeconds(1);
    /** How long a thread waits for its partner to be on a CPU with it before going on alone. */
    private static final long PARTNER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** A partner seen spinning this recently is on a CPU now: a thread taken off one is gone for a millisecond or more. */
    private static final long FRESH_NANOS = TimeUnit.MICROSECONDS.toNanos(5);

    private final int count;
    private final AtomicReferenceArray<Thread> threads;
    private final CountDownLatch[] turns;
    private final AtomicLongArray seen;
    private final AtomicIntegerArray go;
    private final CountDownLatch arrived;

    /** For {@code count} threads, each arriving with its own index from 0 to count - 1. */
    public InPairs(int count) {
        this.count = count;
        threads = new AtomicReferenceArray<>(count);
        arrived = new CountDownLatch(count);
        turns = new CountDownLatch[count];
        for (int index = 0; index < count; index++) {
            turns[index] = new CountDownLatch(1);
        }
        seen = new AtomicLongArray(count);
        go = new AtomicIntegerArray((count + 1) / 2);
        Thread conductor = new Thread(this::conduct, "kit-in-pairs");
        conductor.setDaemon(true);
        KitThreads.own(conductor).start();
    }

    /** Called by thread number {@code index}: returns when its pair is let go, both threads together. */
    public void arrive(int index) {
        threads.set(index, Thread.currentThread());
        arrived.countDown();
        try {
            turns[index].await(ALL_ARRIVED.plus(THREAD_ENDS.multipliedBy(count)).toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        int pair = index / 2;
        int partner = index ^ 1;
        if (partner >= count) {
            return;
        }
        long until = System.nanoTime() + PARTNER_NANOS;
        while (go.get(pair) == 0) {
            long now = System.nanoTime();
            seen.set(index, now);
            long theirs = seen.get(partner);
            if ((theirs != 0 && now - theirs < FRESH_NANOS) || now > until) {
                go.set(pair, 1);
                return;
            }
            Thread.onSpinWait();
        }
    }

    private void conduct() {
        try {
            arrived.await(ALL_ARRIVED.toNanos(), TimeUnit.NANOSECONDS);
            for (int pair = 0; pair < go.length(); pair++) {
                int last = Math.min(count, 2 * pair + 2);
                for (int index = 2 * pair; index < last; index++) {
                    turns[index].countDown(); // each woken by this thread, not by its spinning partner
                }
                for (int index = 2 * pair; index < last; index++) {
                    Thread thread = threads.get(index);
                    if (thread != null) {
                        thread.join(THREAD_ENDS.toMillis());
                        if (thread.isAlive()) { // it waits for the others: let them all go
                            releaseAll();
                            return;
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            releaseAll();
        }
    }

    private void releaseAll() {
        for (CountDownLatch turn : turns) {
            turn.countDown();
        }
    }

    /**
     * The kit's own threads, one per key, each asking a {@link CannedClient} whose answers come in
     * pairs as above and putting the answer into one plain {@code HashMap}: how many of the keys it
     * lost. Many lost: this machine now lets two writes meet; none: it is too busy for pairs to.
     */
    public static int lostByAHashMap(List<String> keys) throws InterruptedException {
        InPairs pairs = new InPairs(keys.size());
        CannedClient client = new CannedClient(uri -> {
            int index = Integer.parseInt(uri.getQuery());
            pairs.arrive(index);
            return new CannedClient.Answer(200, Integer.toString(index));
        });
        Map<String, Integer> answers = new HashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://canary.invalid/?" + i)).build();
            String key = keys.get(i);
            Thread thread = new Thread(() -> {
                try {
                    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                    answers.put(key, Integer.valueOf(response.body()));
                } catch (IOException e) {
                    throw new IllegalStateException("a canned answer cannot fail", e);
                }
            }, "kit-hashmap-writer-" + i);
            thread.setDaemon(true);
            threads.add(KitThreads.own(thread));
        }
        threads.forEach(Thread::start);
        long until = System.nanoTime() + ALL_ARRIVED.plus(THREAD_ENDS.multipliedBy(keys.size())).toNanos();
        for (Thread thread : threads) {
            TimeUnit.NANOSECONDS.timedJoin(thread, Math.max(1, until - System.nanoTime()));
        }
        int lost = 0;
        for (int i = 0; i < keys.size(); i++) {
            if (!Integer.valueOf(i).equals(answers.get(keys.get(i)))) {
                lost++;
            }
        }
        return lost;
    }
}
