package kit;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The threads that are not an exercise's to stop, known by identity (never by name or daemon
 * flag, which any code can choose): the threads the kit starts (its fake server, its clients,
 * the threads of {@link Threads}) and the JDK's shared ones (the common pool, the virtual-thread
 * scheduler, their timers), which no exercise can shut down. The leak check of
 * {@link KitExtension} ignores these and only these.
 */
final class KitThreads {

    private static final Set<Thread> OWN = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private KitThreads() {
    }

    private static boolean jdkSharedStarted;

    /**
     * Makes sure the JDK's shared threads are started and known; call before taking a snapshot of
     * the threads. The JDK starts them lazily, at the first use: started here, before any exercise
     * runs, and remembered, they do not look like threads the first exercise to use a virtual
     * thread, a CompletableFuture timeout or the common pool left running. (Not in a static
     * initializer: its lambdas, run on those threads, would wait for the class to be initialized.)
     */
    static synchronized void init() {
        if (jdkSharedStarted) {
            return;
        }
        jdkSharedStarted = true;
        ownStartedBy(() -> {
            try {
                CompletableFuture<Void> delayed = new CompletableFuture<>();
                CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS, Runnable::run).execute(() -> delayed.complete(null));
                CompletableFuture.runAsync(() -> { }).get(); // a common-pool worker
                CountDownLatch parked = new CountDownLatch(1);
                Thread virtual = Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(1); // a timed park starts the virtual-thread scheduler's timers
                        parked.await(1, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                virtual.join();
                delayed.get();
            } catch (Exception e) {
                throw new IllegalStateException("could not start the JDK's shared threads", e);
            }
            return null;
        }, thread -> true);
    }

    /** Counts {@code thread} as the kit's own. */
    static Thread own(Thread thread) {
        OWN.add(thread);
        return thread;
    }

    /**
     * Runs {@code start} (kit code that starts threads of its own, with no exercise code running
     * meanwhile) and counts the threads that appeared meanwhile and match {@code which} as the kit's.
     */
    static <T> T ownStartedBy(Supplier<T> start, Predicate<Thread> which) {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        try {
            return start.get();
        } finally {
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (!before.contains(thread) && which.test(thread)) {
                    OWN.add(thread);
                }
            }
        }
    }

    /** Whether {@code thread} is the kit's or the JDK's shared, not an exercise's. */
    static boolean isKits(Thread thread) {
        if (OWN.contains(thread)) {
            return true;
        }
        if (thread instanceof ForkJoinWorkerThread worker && worker.getPool() == ForkJoinPool.commonPool()) {
            return true; // common-pool workers come and go with the load
        }
        // Virtual-thread carriers and the JDK's innocuous threads (process reapers, unparkers):
        // classes of java.base's internals, which code outside the JDK cannot create.
        Class<?> type = thread.getClass();
        return type.getClassLoader() == null && type.getPackageName().equals("jdk.internal.misc");
    }
}
