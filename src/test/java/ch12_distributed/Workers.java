package ch12_distributed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import kit.Broker;
import kit.Eventually;
import kit.JavaProcess;

/**
 * The worker processes of a test class: {@code count} JVMs running {@link WorkerMain} (the
 * student's {@link TaskWorker}) on one queue, started when a test first needs them and reused by
 * the tests after it; a test that kills one gets it replaced by the next {@link #ready()}. What
 * they report (each task as it starts, in which process) is kept for the tests to look at.
 */
final class Workers implements AutoCloseable {

    /** A worker JVM starts in well under a second; a loaded machine can take a few. */
    private static final Duration START_BOUND = Duration.ofSeconds(20);
    /** How long the broker may take to show every worker's consumer. */
    private static final Duration CONSUMERS_BOUND = Duration.ofSeconds(5);
    private static final List<String> JVM_OPTIONS = List.of("-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xss512k");

    /** A task a worker process began, as it reported it. */
    record Started(long pid, Task task, long nanos) {
    }

    private final Broker broker;
    private final String queue;
    private final int count;
    private final List<JavaProcess> running = new ArrayList<>();
    private final List<JavaProcess> all = new ArrayList<>();
    private int started;
    /** The constructor's failure in a worker, which the same code would only repeat: a TODO, or another. */
    private UnsupportedOperationException notDone;
    private AssertionError cannotStart;

    Workers(Broker broker, String queue, int count) {
        this.broker = broker;
        this.queue = queue;
        this.count = count;
    }

    /**
     * Makes sure {@code count} workers run and consume from the queue: starts what is missing and,
     * if the broker sees fewer consumers than live workers (a worker whose channel was closed), starts
     * them all anew. Returns when the broker sees every worker's consumer.
     */
    synchronized void ready() throws IOException, InterruptedException {
        if (notDone != null) {
            throw notDone;
        }
        if (cannotStart != null) {
            throw cannotStart;
        }
        running.removeIf(worker -> !worker.isAlive());
        if (running.size() == count && broker.consumers(queue) == count) {
            return;
        }
        if (running.size() == count) {
            // Every process lives but not every one consumes: their channels were closed. Start afresh.
            running.forEach(JavaProcess::kill);
            running.clear();
        }
        List<JavaProcess> fresh = new ArrayList<>();
        while (running.size() + fresh.size() < count) {
            started++;
            fresh.add(JavaProcess.start("worker " + started, WorkerMain.class.getName(), JVM_OPTIONS,
                    List.of(broker.uri().toString(), queue)));
        }
        all.addAll(fresh);
        for (JavaProcess worker : fresh) {
            awaitReady(worker);
            running.add(worker);
        }
        Eventually.within(CONSUMERS_BOUND, count + " workers said they were ready, but the broker does not see a consumer"
                + " of each on the queue: does the constructor start consuming (basicConsume) before it returns?",
                () -> assertThat(broker.consumers(queue)).as("consumers on the queue").isEqualTo(count));
    }

    private void awaitReady(JavaProcess worker) throws InterruptedException {
        Optional<JavaProcess.Line> said = worker.awaitLine(line -> line.equals(WorkerMain.READY)
                || line.startsWith(WorkerMain.FAILED), START_BOUND);
        if (said.isPresent() && said.get().text().equals(WorkerMain.READY)) {
            return;
        }
        worker.kill();
        String failure = said.map(line -> line.text().substring(WorkerMain.FAILED.length())).orElse(null);
        String todo = "java.lang.UnsupportedOperationException: TODO";
        if (failure != null && failure.startsWith(todo)) {
            notDone = new UnsupportedOperationException(failure.substring(failure.indexOf("TODO")));
            throw notDone;
        }
        if (failure != null) {
            cannotStart = new AssertionError("a worker process could not start: new TaskWorker(" + broker.uri() + ", " + queue
                    + ") threw " + failure + "\n  its output:\n" + worker.tail(15));
            throw cannotStart;
        }
        throw new AssertionError("a worker process was not ready within " + START_BOUND.toSeconds()
                + " s (the constructor never returned?); its output:\n" + worker.tail(15));
    }

    /** The pids of the workers running now. */
    synchronized List<Long> pids() {
        return running.stream().map(JavaProcess::pid).toList();
    }

    /** Kills one worker at once (SIGKILL: it has no chance to clean up or to ack anything). */
    synchronized void kill(long pid) {
        JavaProcess worker = running.stream().filter(w -> w.pid() == pid).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no running worker has pid " + pid));
        worker.kill();
        running.remove(worker);
    }

    /** Every task the workers (live or dead) reported starting since {@code sinceNanos}, in time order. */
    synchronized List<Started> startedSince(long sinceNanos) {
        List<Started> tasks = new ArrayList<>();
        for (JavaProcess worker : all) {
            for (JavaProcess.Line line : worker.lines()) {
                if (line.nanos() >= sinceNanos && line.text().startsWith(WorkerMain.STARTED)) {
                    String body = line.text().substring(WorkerMain.STARTED.length());
                    tasks.add(new Started(worker.pid(), Task.decode(body.getBytes(StandardCharsets.UTF_8)),
                            line.nanos()));
                }
            }
        }
        tasks.sort((a, b) -> Long.compare(a.nanos(), b.nanos()));
        return tasks;
    }

    /** The last lines each worker printed, for a failure message. */
    synchronized String output() {
        return all.stream().filter(w -> !w.lines().isEmpty())
                .map(w -> "  " + w + (w.isAlive() ? "" : ", ended") + ":\n" + w.tail(8))
                .collect(Collectors.joining("\n"));
    }

    @Override
    public synchronized void close() {
        all.forEach(JavaProcess::kill);
        running.clear();
    }
}
