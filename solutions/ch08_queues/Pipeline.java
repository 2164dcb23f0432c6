package ch08_queues;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One thread per stage, three ArrayBlockingQueues of {@code capacity} between them: a full
 * queue blocks the stage before it, and so on back to {@link #put}. Values travel wrapped (a
 * function may return null, which a queue refuses); the pill is a wrapper of its own. Each
 * stage's thread is the only one that touches its function. {@code failures} is guarded by
 * itself; {@code shutDown}, {@code putting} and {@code pillSent} by {@code this}: shutdown waits for
 * the puts in progress, so that no item goes into the first queue behind the pill.
 */
public class Pipeline<A, B, C> {

    private record Item(Object value) {
    }

    private static final Item PILL = new Item(null);

    private final BlockingQueue<Item> input;
    private final List<Thread> stages = new ArrayList<>();
    private final List<RuntimeException> failures = new ArrayList<>();
    private boolean shutDown; // guarded by this
    private int putting; // puts past the shutDown check, their item not yet queued; guarded by this
    private boolean pillSent; // guarded by this

    @SuppressWarnings("unchecked")
    public Pipeline(int capacity, Function<A, B> first, Function<B, C> second, Consumer<C> last) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        Objects.requireNonNull(last, "last");
        input = new ArrayBlockingQueue<>(capacity);
        BlockingQueue<Item> middle = new ArrayBlockingQueue<>(capacity);
        BlockingQueue<Item> end = new ArrayBlockingQueue<>(capacity);
        stages.add(stage("first", input, middle, a -> first.apply((A) a)));
        stages.add(stage("second", middle, end, b -> second.apply((B) b)));
        stages.add(stage("last", end, null, c -> {
            last.accept((C) c);
            return null;
        }));
    }

    /** A stage: takes from {@code in} until the pill, passes results (and then the pill) to {@code out}. */
    private Thread stage(String name, BlockingQueue<Item> in, BlockingQueue<Item> out, Function<Object, Object> fn) {
        return Thread.ofPlatform().name("stage-" + name).start(() -> {
            try {
                for (Item item = in.take(); item != PILL; item = in.take()) {
                    Object result;
                    try {
                        result = fn.apply(item.value());
                    } catch (RuntimeException failure) {
                        synchronized (failures) {
                            failures.add(failure);
                        }
                        continue; // only this item is lost
                    }
                    if (out != null) {
                        out.put(new Item(result));
                    }
                }
                if (out != null) {
                    out.put(PILL); // after every item this stage passed on
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    public void put(A item) throws InterruptedException {
        Objects.requireNonNull(item, "item");
        synchronized (this) {
            if (shutDown) {
                throw new IllegalStateException("the pipeline is shut down");
            }
            putting++;
        }
        try {
            input.put(new Item(item)); // outside the lock: it may block for a long time
        } finally {
            synchronized (this) {
                putting--;
                notifyAll(); // a shutdown may be waiting for this put
            }
        }
    }

    public void shutdown() throws InterruptedException {
        boolean first;
        synchronized (this) {
            shutDown = true;
            while (putting > 0) {
                wait(); // a put that got past the check goes in before the pill, never behind it
            }
            first = !pillSent;
            pillSent = true;
        }
        if (first) {
            input.put(PILL);
        }
        for (Thread stage : stages) {
            stage.join();
        }
        synchronized (failures) {
            if (first && !failures.isEmpty()) {
                CompletionException failed = new CompletionException(failures.get(0));
                failures.subList(1, failures.size()).forEach(failed::addSuppressed);
                throw failed;
            }
        }
    }
}
