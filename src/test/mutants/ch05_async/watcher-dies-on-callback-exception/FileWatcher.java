// Mutant: the callback's exception is not caught, so the watcher thread dies with it.
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
                        onCreate.accept(created);
                    }
                }
                if (!key.reset()) {
                    return; // the directory is gone
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException closed) {
            // close() was called: the thread ends here
        }
    }
}
