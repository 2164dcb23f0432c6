package ch11_generators;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.SynchronousQueue;

/**
 * The body runs on a virtual thread and puts each value into a SynchronousQueue, which has no
 * room: put() waits for the consumer's take(). So the body is at most one value ahead (the one
 * it waits to hand over). After its last value it hands over END, or the exception it died of.
 *
 * <p>The consumer's fields ({@code pending}, {@code finished}) are touched only by the consumer
 * thread; {@code thread} and {@code closed} are guarded by {@code this}, {@code closed} also
 * volatile for the body's thread to read.
 */
public class ThreadedGenerator<T> implements Iterator<T>, AutoCloseable {

    private record Value(Object value) {
    }

    private record Failed(Throwable cause) {
    }

    private static final Object END = new Object();

    private final Body<T> body;
    private final SynchronousQueue<Object> handoff = new SynchronousQueue<>();
    private Thread thread; // guarded by this
    private volatile boolean closed; // written under this
    private Value pending;
    private boolean finished;

    public ThreadedGenerator(Body<T> body) {
        this.body = Objects.requireNonNull(body, "body");
    }

    /** Starts the body, at the first request for a value. */
    private synchronized void startOnce() {
        if (thread == null && !closed) {
            thread = Thread.ofVirtual().start(this::runBody);
        }
    }

    private void runBody() {
        Object last;
        try {
            body.run(value -> {
                if (closed) {
                    throw new InterruptedException("the generator is closed");
                }
                handoff.put(new Value(value));
            });
            last = END;
        } catch (InterruptedException closing) {
            return; // close() interrupted us: nobody is listening any more
        } catch (Throwable failure) {
            last = new Failed(failure);
        }
        if (closed) {
            return;
        }
        try {
            handoff.put(last);
        } catch (InterruptedException closing) {
            // closed meanwhile
        }
    }

    @Override
    public boolean hasNext() {
        if (pending != null) {
            return true;
        }
        if (finished || closed) {
            return false;
        }
        startOnce();
        Object next;
        try {
            next = handoff.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the generator's next value", e);
        }
        if (next instanceof Value value) {
            pending = value;
            return true;
        }
        finished = true;
        if (next instanceof Failed failed) {
            throw new GeneratorException(failed.cause());
        }
        return false;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the generator's body has ended");
        }
        T value = (T) pending.value();
        pending = null;
        return value;
    }

    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = thread;
        }
        pending = null;
        if (running != null) {
            running.interrupt(); // wakes it in emit(); the body should end
            try {
                running.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
