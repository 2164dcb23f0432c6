package ch05_async;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import kit.Arguments;
import kit.Eventually;
import kit.Exercise;
import kit.Measure;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Notifications come from the operating system: every wait is an Awaitility wait with a bound. */
@Exercise(17)
class FileWatcherTest {

    /** Far above the few milliseconds inotify takes, for a loaded machine. */
    private static final Duration BOUND = Duration.ofSeconds(5);
    /** How long "nothing more happens" is watched for. */
    private static final Duration QUIET = Duration.ofMillis(300);
    /** How long an idle watcher is watched for the CPU it uses. */
    private static final Duration IDLE = Duration.ofMillis(600);
    /** CPU an idle watcher may use in {@link #IDLE}: one blocked in take() uses none (CALIBRATION.md, ch05). */
    private static final Duration IDLE_CPU = Duration.ofMillis(60);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    private final List<Path> seen = new CopyOnWriteArrayList<>();
    private final Set<Thread> callbackThreads = ConcurrentHashMap.newKeySet();

    private void record(Path file) {
        callbackThreads.add(Thread.currentThread());
        seen.add(file);
    }

    private Path create(String name) throws IOException {
        return Files.createFile(dir.resolve(name));
    }

    /** The live threads, to tell later which ones watch() started. */
    private static Set<Thread> liveThreads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    /** The threads started since {@code before} that are still alive, the test's own and JUnit's left out. */
    private static Set<Thread> startedSince(Set<Thread> before) {
        Set<Thread> now = liveThreads();
        now.removeAll(before);
        now.removeIf(thread -> thread == Thread.currentThread() || thread.getName().startsWith("junit-"));
        return now;
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("a new file reaches the callback with its full path")
    void newFileIsReported() throws Exception {
        try (AutoCloseable watching = FileWatcher.watch(dir, this::record)) {
            Path file = create("hello.txt");
            Eventually.within(BOUND, "the file created after watch() returned was not reported to the callback",
                    () -> assertThat(seen).containsExactly(file));
        }
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("files created one after another are each reported once, not only the first")
    void laterFilesAreReported() throws Exception {
        try (AutoCloseable watching = FileWatcher.watch(dir, this::record)) {
            for (int i = 1; i <= 5; i++) {
                Path file = create("file-" + i + ".txt");
                int count = i;
                Eventually.within(BOUND, "file " + count + " of files created one at a time was not reported: a"
                        + " WatchKey must be reset() after its events are handled, or it reports nothing more",
                        () -> assertThat(seen).hasSize(count).endsWith(file));
            }
            List<Path> burst = IntStream.range(0, 20).mapToObj(i -> dir.resolve("burst-" + i)).toList();
            for (Path file : burst) {
                Files.createFile(file);
            }
            Eventually.within(BOUND, "not every file of a burst of 20 was reported",
                    () -> assertThat(seen).hasSize(25).containsAll(burst));
            Eventually.throughout(QUIET, BOUND, "a file was reported more than once",
                    () -> assertThat(seen).doesNotHaveDuplicates().hasSize(25));
        }
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("a callback that throws does not stop the watching")
    void throwingCallbackDoesNotStopWatching() throws Exception {
        try (AutoCloseable watching = FileWatcher.watch(dir, file -> {
            record(file);
            if (file.getFileName().toString().startsWith("bad")) {
                throw new IllegalStateException("the callback failed on " + file);
            }
        })) {
            String died = "the watcher died with the callback's exception: catch it inside the watch loop and go on";
            Path bad = create("bad.txt");
            Eventually.within(BOUND, "the file whose callback throws was not reported, or " + died,
                    () -> assertThat(seen).contains(bad));
            Path good = create("good.txt");
            Eventually.within(BOUND, "no file was reported after the callback threw once: " + died,
                    () -> assertThat(seen).containsExactly(bad, good));
        }
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("close() waits for the watcher thread to end, and no file is reported after it")
    void closeEndsTheWatcher() throws Exception {
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AutoCloseable watching = FileWatcher.watch(dir, file -> {
            record(file);
            if (file.getFileName().toString().equals("slow.txt")) {
                inCallback.countDown();
                awaitUninterruptibly(release); // a callback busy when close() is called
            }
        });
        Path slow = create("slow.txt");
        Eventually.within(BOUND, "the file created after watch() returned was not reported",
                () -> assertThat(inCallback.getCount()).isZero());
        Thread watcher = callbackThreads.iterator().next();
        assertThat(watcher).as("the callback's thread: the watcher's own, not the caller's")
                .isNotSameAs(Thread.currentThread());
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Thread closer = new Thread(() -> {
            try {
                watching.close();
                closed.complete(null);
            } catch (Throwable t) {
                closed.completeExceptionally(t);
            }
        });
        closer.setDaemon(true);
        closer.start();
        try {
            Eventually.throughout(QUIET, BOUND, "close() returned while the watcher thread was still running a"
                    + " callback: close() must close the WatchService (so that take() wakes up) and wait for the"
                    + " thread to end (join it) before it returns", () -> assertThat(closed).isNotDone());
        } finally {
            release.countDown();
        }
        Eventually.within(BOUND, "close() did not return after the callback it waited for had ended",
                () -> assertThat(closed).isDone());
        closed.join();
        assertThat(watcher.isAlive()).as("the watcher thread still alive when close() returned").isFalse();
        Path late = create("late.txt");
        Eventually.throughout(QUIET, BOUND, "a file created after close() was reported: close() must stop the"
                + " watching", () -> assertThat(seen).containsExactly(slow));
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true; // a close() that interrupts must still wait for the callback to end
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @Order(5)
    @Points(1)
    @DisplayName("close() releases the WatchService: no thread that watch() started is left")
    void closeReleasesTheWatchService() throws Exception {
        Set<Thread> before = liveThreads();
        AutoCloseable watching = FileWatcher.watch(dir, this::record);
        Path file = create("hello.txt");
        Eventually.within(BOUND, "the file created after watch() returned was not reported",
                () -> assertThat(seen).contains(file));
        watching.close();
        Set<Thread> left = startedSince(before);
        long deadline = System.nanoTime() + BOUND.toNanos();
        for (Thread thread : left) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        left.removeIf(thread -> !thread.isAlive());
        left.addAll(callbackThreads.stream().filter(Thread::isAlive).toList());
        assertThat(left).as("threads started by watch() still running after close() returned (%s): close the"
                + " WatchService (the system's own watcher thread ends with it) and end your watcher thread",
                left.stream().map(Thread::getName).collect(Collectors.joining(", "))).isEmpty();
    }

    @Test
    @Order(6)
    @Points(1)
    @DisplayName("an idle watcher waits without using the CPU")
    void idleWatcherUsesNoCpu() throws Exception {
        Set<Thread> before = liveThreads();
        try (AutoCloseable watching = FileWatcher.watch(dir, this::record)) {
            Path file = create("hello.txt");
            Eventually.within(BOUND, "the file created after watch() returned was not reported",
                    () -> assertThat(seen).contains(file));
            Set<Thread> watchers = startedSince(before);
            watchers.addAll(callbackThreads);
            boolean perThread = watchers.stream().noneMatch(Thread::isVirtual);
            // A virtual thread has no CPU time of its own: then the process's, with room for the JVM's own work.
            Duration budget = perThread ? IDLE_CPU : IDLE.dividedBy(3);
            Map<Thread, Long> start = cpuNanos(watchers, perThread);
            try {
                Eventually.throughout(IDLE, BOUND.plus(IDLE), "the watcher used the CPU while nothing happened: wait"
                        + " in WatchService.take(), which blocks until there is an event, rather than poll() in a loop",
                        () -> assertThat(cpuSince(start, watchers, perThread)).isLessThan(budget));
            } finally {
                Measure.log("CPU ms an idle watcher used" + (perThread ? "" : " (the process)"),
                        cpuSince(start, watchers, perThread).toMillis());
            }
        }
    }

    /** CPU time used since {@code start} by these threads (or the process). */
    private static Duration cpuSince(Map<Thread, Long> start, Set<Thread> threads, boolean perThread) {
        Map<Thread, Long> now = cpuNanos(threads, perThread);
        return Duration.ofNanos(now.entrySet().stream().filter(e -> start.containsKey(e.getKey()))
                .mapToLong(e -> Math.max(0, e.getValue() - start.get(e.getKey()))).sum());
    }

    /** The key of the process's CPU time in {@link #cpuNanos}: a thread never started. */
    private static final Thread PROCESS = new Thread(() -> { });

    /** CPU time of each of these threads still alive, or of the whole process (under {@link #PROCESS}). */
    private static Map<Thread, Long> cpuNanos(Set<Thread> threads, boolean perThread) {
        Map<Thread, Long> cpu = new HashMap<>();
        if (!perThread) {
            cpu.put(PROCESS, ((com.sun.management.OperatingSystemMXBean)
                    ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime());
            return cpu;
        }
        for (Thread thread : threads) {
            long nanos = THREADS.getThreadCpuTime(thread.threadId());
            if (nanos >= 0) {
                cpu.put(thread, nanos); // -1: the thread has ended
            }
        }
        return cpu;
    }

    @Test
    @Order(7)
    @Points(1)
    @DisplayName("two watchers at once are independent: closing one leaves the other watching")
    void watchersAreIndependent() throws Exception {
        Path first = Files.createDirectory(dir.resolve("first"));
        Path second = Files.createDirectory(dir.resolve("second"));
        List<Path> seenSecond = new CopyOnWriteArrayList<>();
        Consumer<Path> recordSecond = seenSecond::add;
        AutoCloseable watchingFirst = FileWatcher.watch(first, this::record);
        boolean firstClosed = false;
        try (AutoCloseable watchingSecond = FileWatcher.watch(second, recordSecond)) {
            Path a = Files.createFile(first.resolve("a.txt"));
            Path b = Files.createFile(second.resolve("b.txt"));
            Eventually.within(BOUND, "files created in two watched folders were not each reported to their own"
                    + " watcher's callback", () -> {
                        assertThat(seen).containsExactly(a);
                        assertThat(seenSecond).containsExactly(b);
                    });
            firstClosed = true;
            watchingFirst.close();
            Path c = Files.createFile(second.resolve("c.txt"));
            Eventually.within(BOUND, "a file created in the second folder after the first watcher was closed was"
                    + " not reported: closing one watcher stopped another. Keep each watcher's WatchService and"
                    + " thread to itself (no static fields)", () -> assertThat(seenSecond).containsExactly(b, c));
        } finally {
            if (!firstClosed) {
                watchingFirst.close();
            }
        }
    }

    @Test
    @Order(8)
    @Points(1)
    @DisplayName("a path that is not a directory, or a null argument, is refused naming the argument")
    void badArgumentsAreRefused() throws IOException {
        Path file = create("plain.txt");
        Arguments.assertRefused("watch(a plain file, ...)", IllegalArgumentException.class, "dir",
                () -> FileWatcher.watch(file, this::record));
        Arguments.assertRefused("watch(null, ...)", NullPointerException.class, "dir",
                () -> FileWatcher.watch(null, this::record));
        Arguments.assertRefused("watch(dir, null)", NullPointerException.class, "onCreate",
                () -> FileWatcher.watch(dir, null));
    }
}
