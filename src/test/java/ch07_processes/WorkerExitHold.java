package ch07_processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import kit.Eventually;

/**
 * Holds the exit of the worker JVMs started while it is open ({@link Worker#holdExits}): a worker whose
 * input has ended stays alive until {@link #release}, so that a caller that closes its workers' inputs
 * and returns is seen to return while they run, however fast a JVM exits on this machine.
 */
final class WorkerExitHold implements AutoCloseable {

    private final Path folder;

    WorkerExitHold() throws IOException {
        folder = Files.createTempDirectory("threadwork-exit-hold");
        Worker.holdExits(folder);
    }

    /** How many workers have reached the end of their input so far. */
    int held() {
        try (Stream<Path> files = Files.list(folder)) {
            return (int) files.filter(file -> file.getFileName().toString().startsWith("held-")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Lets the workers go once a worker is held and some thread waits for a process to exit
     * ({@code Process.waitFor}), or {@code letGo} after the first was held (for a caller that waits
     * another way), or as soon as {@code returned}; at the latest after {@code bound}.
     */
    void releaseWhenWaitedFor(BooleanSupplier returned, Duration letGo, Duration bound) {
        AtomicLong firstHeld = new AtomicLong(-1);
        Eventually.whether(bound, () -> {
            if (returned.getAsBoolean()) {
                return true;
            }
            if (held() == 0) {
                return false;
            }
            firstHeld.compareAndSet(-1, System.nanoTime());
            return waitingForAProcess() || System.nanoTime() - firstHeld.get() > letGo.toNanos();
        });
        release();
    }

    private static boolean waitingForAProcess() {
        return Thread.getAllStackTraces().values().stream().flatMap(Arrays::stream).anyMatch(frame ->
                (frame.getClassName().equals("java.lang.Process") || frame.getClassName().equals("java.lang.ProcessImpl"))
                        && frame.getMethodName().equals("waitFor"));
    }

    /** Lets every held worker exit, and those that reach the end of their input later exit at once. */
    void release() {
        try {
            Files.createFile(folder.resolve("release"));
        } catch (FileAlreadyExistsException released) {
            // released before
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        Worker.holdExits(null);
        release();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
