package ch05_async;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Exercise 17: file change notifications, the source's example of asynchronous events.
 * See README.md in this folder.
 */
public class FileWatcher {

    /**
     * Calls {@code onCreate} with the full path of each file created in {@code dir} from now on,
     * on a watcher thread of its own. A callback that throws does not stop the watching.
     *
     * @return closing it stops the watching and ends the watcher thread before {@code close()} returns
     * @throws IllegalArgumentException if {@code dir} is not a directory
     * @throws NullPointerException if an argument is null
     */
    public static AutoCloseable watch(Path dir, Consumer<Path> onCreate) {
        throw new UnsupportedOperationException("TODO: register dir with a WatchService, take() keys on a thread, close() the service");
    }
}
