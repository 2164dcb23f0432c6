package ch08_queues;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Exercise 23: three stages, each on a thread of its own, joined by bounded queues: a
 * producer/consumer chain whose end, like its items, flows from stage to stage. See README.md
 * in this folder.
 *
 * <pre>
 * put(a) -> [queue] -> first(a) = b -> [queue] -> second(b) = c -> [queue] -> last(c)
 * </pre>
 *
 * @param <A> what is put in
 * @param <B> what the first stage makes of it
 * @param <C> what the second stage makes of that, handed to the last stage
 */
public class Pipeline<A, B, C> {

    /**
     * Starts the three stage threads. Each stage takes from the queue before it, applies its
     * function, and puts the result on the queue after it (the last stage hands it to
     * {@code last}). Every queue holds at most {@code capacity} items: when the last stage is
     * slow, the queues fill up and {@link #put} blocks (back-pressure), so that at most
     * 3 × capacity + 3 items are in the pipeline at once (one more in each stage's hands).
     *
     * @throws IllegalArgumentException if {@code capacity} is below 1
     * @throws NullPointerException if a function is null (naming it: first, second or last)
     */
    public Pipeline(int capacity, Function<A, B> first, Function<B, C> second, Consumer<C> last) {
        throw new UnsupportedOperationException("TODO: three bounded queues, three stage threads");
    }

    /**
     * Puts an item into the pipeline, blocking while the first queue is full. The items of one
     * producer reach {@code last} in the order they were put, each once. A put that returns
     * normally has its item reach {@code last} even when {@link #shutdown()} is called at the same
     * moment: it is queued before the pill, never behind it, or it is refused.
     *
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException after {@link #shutdown()}
     */
    public void put(A item) throws InterruptedException {
        throw new UnsupportedOperationException("TODO: put the item on the first queue (a blocking put)");
    }

    /**
     * Ends the pipeline without losing anything: a poison pill goes in after the items, and each
     * stage, when it takes the pill, passes it on to the next queue and ends. Returns once every
     * item put before it has reached {@code last} and all three stage threads have ended.
     * Calling it again does nothing.
     *
     * <p>A function that throws loses only its item: its stage goes on with the next one.
     *
     * @throws java.util.concurrent.CompletionException once the pipeline has ended, if a function
     *     threw: the first such exception is the cause, each later one suppressed
     */
    public void shutdown() throws InterruptedException {
        throw new UnsupportedOperationException("TODO: put a pill after the items; each stage forwards it and ends; join the stages");
    }
}
