package ch12_distributed;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import kit.JavaProcess;

/**
 * The main of a worker process as the tests start it: {@code WorkerMain <broker URI> <queue>}. It
 * makes one {@link TaskWorker} (the exercise) and keeps the JVM alive until the test JVM closes
 * its standard input or dies. It reports on its standard output, for the tests to read:
 * <pre>
 * threadwork-worker ready                  the constructor returned: the worker consumes
 * threadwork-worker failed: &lt;exception&gt;    the constructor threw; the JVM then exits with 1
 * threadwork-task started &lt;task's line&gt;    Tasks.run began a task in this process
 * </pre>
 * Run one by hand the same way, with the class path {@code ./mvnw} prints, to watch it work.
 */
public final class WorkerMain {

    static final String READY = "threadwork-worker ready";
    static final String FAILED = "threadwork-worker failed: ";
    static final String STARTED = "threadwork-task started ";

    /** Held for the life of the JVM. */
    private static TaskWorker worker;

    private WorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        JavaProcess.endWithParent();
        if (args.length != 2) {
            System.err.println("usage: WorkerMain <broker URI> <queue>");
            System.exit(2);
        }
        Tasks.onStart(task -> {
            System.out.println(STARTED + new String(task.encode(), StandardCharsets.UTF_8));
            System.out.flush();
        });
        try {
            worker = new TaskWorker(URI.create(args[0]), args[1]);
        } catch (Throwable failed) {
            System.out.println(FAILED + failed);
            failed.printStackTrace(System.out);
            System.out.flush();
            System.exit(1);
        }
        System.out.println(READY);
        System.out.flush();
        Thread.currentThread().join(); // the worker consumes on the client library's threads until the lifeline halts us
    }
}
