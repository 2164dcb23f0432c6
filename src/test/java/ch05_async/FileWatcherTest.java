package ch05_async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import kit.Eventually;
import kit.Exercise;
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
            Path bad = create("bad.txt");
            Eventually.within(BOUND, "the first file was not reported", () -> assertThat(seen).contains(bad));
            Path good = create("good.txt");
            Eventually.within(BOUND, "no file was reported after the callback threw once: the watcher died with"
                    + " the callback's exception. Catch it inside the watch loop and go on",
                    () -> assertThat(seen).containsExactly(bad, good));
        }
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("close() ends the watcher thread, and no file is reported after it")
    void closeEndsTheWatcher() throws Exception {
        AutoCloseable watching = FileWatcher.watch(dir, this::record);
        Path first = create("first.txt");
        Eventually.within(BOUND, "the file created after watch() returned was not reported",
                () -> assertThat(seen).contains(first));
        assertThat(callbackThreads).as("threads the callback ran on").hasSize(1);
        Thread watcher = callbackThreads.iterator().next();
        assertThat(watcher).as("the callback's thread: the watcher's own, not the caller's")
                .isNotSameAs(Thread.currentThread());
        watching.close();
        assertThat(watcher.isAlive()).as("the watcher thread (%s) still alive when close() returned: close the"
                + " WatchService so that take() wakes up, and wait for the thread to end", watcher.getName()).isFalse();
        Path late = create("late.txt");
        Eventually.throughout(QUIET, BOUND, "a file created after close() was reported: close() must stop the"
                + " watching", () -> assertThat(seen).doesNotContain(late));
    }

    @Test
    @Order(5)
    @Points(1)
    @DisplayName("a path that is not a directory, or a null argument, is refused naming the argument")
    void badArgumentsAreRefused() throws IOException {
        Path file = create("plain.txt");
        assertThatThrownBy(() -> FileWatcher.watch(file, this::record)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dir");
        assertThatThrownBy(() -> FileWatcher.watch(null, this::record)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("dir");
        assertThatThrownBy(() -> FileWatcher.watch(dir, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("onCreate");
    }
}
