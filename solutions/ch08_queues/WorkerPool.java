package ch08_queues;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Workers block in {@code queue.take()}; a pill per worker ends them. {@code lock} guards
 * {@code unfinished}, {@code results}, {@code failures} and {@code shutDown}; {@code allDone}
 * is signalled when {@code unfinished} drops to zero (JoinableQueue's task_done and join).
 */
public class WorkerPool<T, R> {

    /** Not a task: the worker that takes it ends. */
    private static final Object PILL = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Function<T, R> fn;
    private final List<Thread> workers = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition allDone = lock.newCondition();
    private int unfinished; // guarded by lock: submitted and not yet finished
    private final List<R> results = new ArrayList<>(); // guarded by lock
    private final List<RuntimeException> failures = new ArrayList<>(); // guarded by lock
    private boolean shutDown; // guarded by lock

    public WorkerPool(int workers, Function<T, R> fn) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        this.fn = Objects.requireNonNull(fn, "fn");
        for (int i = 0; i < workers; i++) {
            this.workers.add(Thread.ofPlatform().name("worker-" + i).start(this::work));
        }
    }

    @SuppressWarnings("unchecked")
    private void work() {
        try {
            for (Object next = queue.take(); next != PILL; next = queue.take()) {
                R result = null;
                RuntimeException failure = null;
                try {
                    result = fn.apply((T) next);
                } catch (RuntimeException e) {
                    failure = e; // the worker goes on with the next task
                }
                lock.lock();
                try {
                    if (failure == null) {
                        results.add(result);
                    } else {
                        failures.add(failure);
                    }
                    if (--unfinished == 0) {
                        allDone.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void submit(T task) {
        Objects.requireNonNull(task, "task");
        lock.lock();
        try {
            if (shutDown) {
                throw new IllegalStateException("the pool is shut down");
            }
            unfinished++;
            queue.add(task); // under the lock: no pill can be queued before it
        } finally {
            lock.unlock();
        }
    }

    public void awaitAll() throws InterruptedException {
        lock.lock();
        try {
            while (unfinished > 0) {
                allDone.await();
            }
            if (!failures.isEmpty()) {
                CompletionException failed = new CompletionException(failures.get(0));
                failures.subList(1, failures.size()).forEach(failed::addSuppressed);
                failures.clear(); // each failure is reported once
                throw failed;
            }
        } finally {
            lock.unlock();
        }
    }

    public List<R> results() {
        lock.lock();
        try {
            return Collections.unmodifiableList(new ArrayList<>(results)); // a copy: fn may return null
        } finally {
            lock.unlock();
        }
    }

    public void shutdown() throws InterruptedException {
        lock.lock();
        try {
            if (!shutDown) {
                shutDown = true;
                workers.forEach(worker -> queue.add(PILL)); // one each: a worker that takes one ends
            }
        } finally {
            lock.unlock();
        }
        for (Thread worker : workers) {
            worker.join();
        }
    }
}
