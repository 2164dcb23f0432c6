package ch11_generators;

import java.util.Iterator;

/**
 * Exercise 32: a Python-style generator in Java. The body runs on a virtual thread of its own
 * and hands each value to the consumer through a {@code SynchronousQueue}: a queue with no room,
 * where each {@code put} waits for a {@code take}. See README.md in this folder.
 *
 * <p>For one consumer thread at a time.
 */
public class ThreadedGenerator<T> implements Iterator<T>, AutoCloseable {

    /**
     * A generator whose values are those {@code body} emits. The body does not start yet: it
     * starts, on a virtual thread of its own, at the first {@code hasNext()} or {@code next()}.
     *
     * @throws NullPointerException if {@code body} is null
     */
    public ThreadedGenerator(Body<T> body) {
        throw new UnsupportedOperationException("TODO: keep the body; a SynchronousQueue; start nothing yet");
    }

    /**
     * Waits until the body emits its next value (true) or ends (false). The body is never more
     * than one value ahead: once the consumer has had n values, the body has emitted at most
     * n + 1, the last one still waiting in {@code emit}.
     *
     * @throws GeneratorException if the body threw, once the values it emitted before have been
     *     taken; its exception is the cause. The generator is then finished.
     */
    @Override
    public boolean hasNext() {
        throw new UnsupportedOperationException("TODO: start the body if not yet; take() what it hands over");
    }

    /**
     * The next value.
     *
     * @throws java.util.NoSuchElementException if the body has ended
     * @throws GeneratorException as {@link #hasNext()}
     */
    @Override
    public T next() {
        throw new UnsupportedOperationException("TODO: hasNext(), then hand out the value it took");
    }

    /**
     * Stops the body, even in the middle of its values (a consumer that stops early): the body's
     * thread is interrupted, so that its {@code emit} throws InterruptedException, and close()
     * returns once that thread has ended. Then {@code hasNext()} is false. Calling it again, or
     * before the body started (it never will), does nothing more.
     */
    @Override
    public void close() {
        throw new UnsupportedOperationException("TODO: interrupt the body's thread and join it");
    }
}
