// Mutant: the WatchKey is never reset(), so it reports the first batch of events and nothing after.
package ch05_async;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Objects;
import java.util.function.Consumer;

public class FileWatcher {

    public static AutoCloseable watch(Path dir, Consumer<Path> onCreate) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(onCreate, "onCreate");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("dir must be a directory, was " + dir);
        }
        WatchService service;
        try {
            service = dir.getFileSystem().newWatchService();
            // Registered before watch() returns: a file created right after is not missed.
            dir.register(service, StandardWatchEventKinds.ENTRY_CREATE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + dir, e);
        }
        Thread watcher = Thread.ofPlatform().name("file-watcher " + dir.getFileName()).daemon()
                .start(() -> deliver(service, dir, onCreate));
        return () -> {
            service.close(); // wakes take() with ClosedWatchServiceException
            watcher.join();
        };
    }

    private static void deliver(WatchService service, Path dir, Consumer<Path> onCreate) {
        try {
            while (true) {
                WatchKey key = service.take();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE) {
                        Path created = dir.resolve((Path) event.context());
                        try {
                            onCreate.accept(created);
                        } catch (RuntimeException failure) {
                            // A callback's bug must not end the watching.
                            System.err.println("FileWatcher: the callback failed for " + created + ": " + failure);
                        }
                    }
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException closed) {
            // close() was called: the thread ends here
        }
    }
}
