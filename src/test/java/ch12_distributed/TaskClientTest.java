package ch12_distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.rabbitmq.client.AMQP;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import kit.AmqpTap;
import kit.Arguments;
import kit.Broker;
import kit.Eventually;
import kit.Exercise;
import kit.Measure;
import kit.Points;
import kit.Threads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client, graded on its own: its tasks go to {@link FakeWorkers} in this JVM, which answer as
 * the protocol says and misbehave on purpose as a real queue may (duplicates, strays, late or
 * missing replies, replies out of order), and watch what the client sends. Each test has a fresh
 * queue of its own.
 */
@Exercise(34)
class TaskClientTest {

    @RegisterExtension
    static final Broker broker = new Broker();

    /** A result from a fake worker comes in milliseconds; a loaded machine may take a second or two. */
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final Duration PATIENT = Duration.ofSeconds(10);
    private static final int WORKERS = 3;
    private static final long SLOW_MILLIS = 300;
    /** RabbitMQ's pseudo-queue for replies without a queue of one's own; the embedded broker has no such thing. */
    private static final String DIRECT_REPLY_TO = "amq.rabbitmq.reply-to";

    private final SplittableRandom random = new SplittableRandom();
    private final List<TaskClient> clients = new ArrayList<>();
    private FakeWorkers workers;

    /** The threads alive when the test began: any other that is no daemon belongs to a client. */
    private Set<Thread> before;

    @BeforeEach
    void rememberThreads() {
        before = Checks.liveThreads();
    }

    @AfterEach
    void closeEverything() throws IOException {
        for (TaskClient client : clients) {
            client.close();
        }
        if (workers != null) {
            workers.close();
        }
        if (!clients.isEmpty()) {
            Checks.assertNoThreadLeft(before, "client");
        }
    }

    /** A fresh queue with {@code count} fake workers on it. */
    private FakeWorkers workers(int count, int prefetch) throws IOException {
        workers = new FakeWorkers(broker, broker.newQueue("client"), count, prefetch);
        return workers;
    }

    /** A client on the fake workers' queue, closed after the test. */
    private TaskClient client(Duration deadline) throws IOException {
        return client(broker.uri(), deadline);
    }

    /** A client on the fake workers' queue through {@code uri} (the broker's, or the tap's), closed after the test. */
    private TaskClient client(URI uri, Duration deadline) throws IOException {
        TaskClient client = connect(uri, workers.queue(), deadline);
        clients.add(client);
        return client;
    }

    /**
     * {@code new TaskClient(uri, queue, deadline)}; a client that asks for RabbitMQ's Direct Reply-to,
     * which the embedded broker does not offer, is told so instead of getting the broker's bare 404.
     */
    private TaskClient connect(URI uri, String queue, Duration deadline) throws IOException {
        try {
            return new TaskClient(uri, queue, deadline);
        } catch (IOException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (String.valueOf(t.getMessage()).contains(DIRECT_REPLY_TO)) {
                    throw new AssertionError("the client consumes from " + DIRECT_REPLY_TO + ", RabbitMQ's Direct"
                            + " Reply-to, which the tests' embedded broker (Apache Qpid Broker-J) does not offer: it"
                            + " answers that there is no such queue. Declare a reply queue of the client's own with"
                            + " channel.queueDeclare() (named by the broker, exclusive to the connection, deleted with"
                            + " it), as the lesson does; Direct Reply-to works only against a real RabbitMQ"
                            + " (-Dkit.amqp.uri=...)", e);
                }
            }
            throw e;
        }
    }

    private long[] distinct(int count) {
        return Checks.distinct(random, count);
    }

    /** What {@code future} completed with, waited for at most {@code bound}: its value, or empty if it is still waiting. */
    private static Optional<Long> valueWithin(CompletableFuture<Long> future, Duration bound, String task) throws Exception {
        try {
            return Optional.of(future.get(bound.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException stillWaiting) {
            return Optional.empty();
        } catch (ExecutionException failed) {
            throw new AssertionError(task + " failed with " + failed.getCause() + ", expected its value", failed.getCause());
        }
    }

    /** Each future of {@code tasks} must complete with its task's value; on a miss, says what was seen. */
    private void assertValues(Map<String, CompletableFuture<Long>> futures, Map<String, Long> expected,
            Supplier<String> whyMissing) throws Exception {
        Map<Long, String> valueOf = expected.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey, (a, b) -> a));
        for (Map.Entry<String, CompletableFuture<Long>> entry : futures.entrySet()) {
            String task = entry.getKey();
            Optional<Long> value = valueWithin(entry.getValue(), BOUND, task);
            if (value.isEmpty()) {
                fail(task + " had no result " + BOUND.toSeconds() + " s after it was submitted, though the workers"
                        + " replied: " + whyMissing.get());
            }
            if (value.get().longValue() != expected.get(task)) {
                String whose = valueOf.containsKey(value.get()) ? ", the result of " + valueOf.get(value.get()) : "";
                fail(task + " completed with " + value.get() + whose + ", expected " + expected.get(task) + ": match each"
                        + " reply to its task by its correlation id (a map from correlation id to future), not by the"
                        + " order in which replies come");
            }
        }
    }

    private static String squareOf(long x) {
        return "square(" + x + ")";
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("a broker that is not there: the constructor gives up within seconds with an IOException naming it")
    void missingBrokerIsNamed() throws Exception {
        Checks.assertGivesUpOnMissingBrokers("new TaskClient(%s, queue, deadline)",
                uri -> new TaskClient(uri, "tasks", PATIENT));
    }

    @Test
    @Order(2)
    @Points(1)
    @DisplayName("the constructor declares the work queue durable: a task submitted before any worker is there waits for one")
    void declaresWorkQueue() throws Exception {
        AmqpTap tap = broker.tap();
        int since = tap.connections();
        String queue = broker.newName("declared");
        TaskClient client = connect(tap.uri(), queue, PATIENT);
        clients.add(client);
        assertThat(broker.exists(queue)).as("whether the work queue exists once the constructor has returned: the client"
                + " may come before any worker, and the broker drops without a word a task published to a queue that"
                + " does not exist. Declare it (queueDeclare) in the constructor, as the workers do").isTrue();
        Wire.assertDeclaredAsWorkQueue(tap, since, queue, "the client");
        long x = distinct(1)[0];
        CompletableFuture<Long> future = client.submit("square", x);
        workers = new FakeWorkers(broker, queue, 1, 1); // the first worker comes only now
        assertValues(Map.of(squareOf(x), future), Map.of(squareOf(x), x * x), () -> "the task was published before any"
                + " worker consumed the queue; the worker that came later saw " + workers.received());
    }

    @Test
    @Order(3)
    @Points(1)
    @DisplayName("the constructor starts consuming the replies: the reply consumer is there before any task goes out")
    void consumesRepliesFromTheStart() throws Exception {
        workers(WORKERS, 1);
        AmqpTap tap = broker.tap();
        int since = tap.connections();
        TaskClient client = client(tap.uri(), PATIENT);
        Set<String> consumed = tap.sent(AMQP.Basic.Consume.class).stream().filter(c -> c.connection() > since)
                .map(c -> ((AMQP.Basic.Consume) c.method()).getQueue()).collect(Collectors.toCollection(TreeSet::new));
        if (consumed.isEmpty()) {
            fail("the client had not started consuming its replies when its constructor returned: register the reply"
                    + " consumer (basicConsume on the reply queue) in the constructor, before any task is published."
                    + " A consumer registered in submit() comes after the request it is for (RabbitMQ's Direct Reply-to"
                    + " refuses such a request), and two threads submitting at once may register two");
        }
        long x = distinct(1)[0];
        assertValues(Map.of(squareOf(x), client.submit("square", x)), Map.of(squareOf(x), x * x),
                () -> "does the client complete the future whose correlation id the reply carries?");
        String replyTo = workers.received().get(0).replyTo();
        assertThat(consumed.stream().anyMatch(q -> q.equals(replyTo) || q.equals(DIRECT_REPLY_TO)
                && String.valueOf(replyTo).startsWith(DIRECT_REPLY_TO))).as("whether the client consumes from the queue"
                + " its task named as its reply queue (%s); the queues it consumes from: %s", replyTo, consumed).isTrue();
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("a submitted task's future completes with the task's value")
    void futureCompletesWithValue() throws Exception {
        workers(WORKERS, 1);
        TaskClient client = client(PATIENT);
        long[] x = distinct(4);
        Map<String, CompletableFuture<Long>> futures = new LinkedHashMap<>();
        Map<String, Long> expected = new LinkedHashMap<>();
        futures.put(squareOf(x[0]), client.submit("square", x[0]));
        expected.put(squareOf(x[0]), x[0] * x[0]);
        futures.put("add(" + x[1] + ", " + x[2] + ")", client.submit("add", x[1], x[2]));
        expected.put("add(" + x[1] + ", " + x[2] + ")", x[1] + x[2]);
        futures.put("divide(" + x[3] * 7 + ", 7)", client.submit("divide", x[3] * 7, 7));
        expected.put("divide(" + x[3] * 7 + ", 7)", x[3]);
        assertValues(futures, expected, () -> "does the client consume its reply queue, and complete the future whose"
                + " correlation id the reply carries? Tasks the workers saw: " + workers.received());
        assertThat(workers.received()).as("the tasks as they reached the workers: each published persistent"
                + " (deliveryMode 2), so that a broker that restarts keeps it").allMatch(r -> Integer.valueOf(2).equals(
                r.deliveryMode()));
    }

    @Test
    @Order(5)
    @Points(1)
    @DisplayName("a task that fails on its worker fails its future with a TaskFailedException carrying the worker's error")
    void failedTaskFailsFuture() throws Exception {
        workers(WORKERS, 1);
        TaskClient client = client(PATIENT);
        long x = distinct(1)[0];
        CompletableFuture<Long> division = client.submit("divide", x, 0);
        Throwable failure;
        try {
            Long value = division.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("divide(" + x + ", 0) completed with " + value + ", but its worker replied with"
                    + " the error '/ by zero': a failed reply must fail the future with a TaskFailedException carrying"
                    + " the worker's error");
        } catch (TimeoutException stillWaiting) {
            throw new AssertionError("divide(" + x + ", 0) had no result " + BOUND.toSeconds() + " s after it was submitted,"
                    + " though its worker replied with the error '/ by zero': a failed reply must fail the future with a"
                    + " TaskFailedException");
        } catch (ExecutionException e) {
            failure = e.getCause();
        }
        assertThat(failure).as("what divide(%d, 0) failed with, its worker having replied with the error '/ by zero'", x)
                .isInstanceOf(TaskFailedException.class);
        assertThat(((TaskFailedException) failure).error()).as("the TaskFailedException's error: the worker's").contains(
                "/ by zero");
    }

    @Test
    @Order(6)
    @Points(2)
    @DisplayName("submit() returns at once: 9 slow tasks from one thread keep 3 workers busy at the same time")
    void submitDoesNotWait() throws Exception {
        workers(WORKERS, 1);
        TaskClient client = client(PATIENT);
        long[] x = distinct(3 * WORKERS);
        Map<String, CompletableFuture<Long>> futures = new LinkedHashMap<>();
        Map<String, Long> expected = new LinkedHashMap<>();
        long start = System.nanoTime();
        for (long value : x) {
            String task = "slowSquare(" + value + ", " + SLOW_MILLIS + ")";
            futures.put(task, client.submit("slowSquare", value, SLOW_MILLIS));
            expected.put(task, value * value);
        }
        long submitting = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertValues(futures, expected,
                () -> "does the client complete the future whose correlation id the reply carries?");
        Measure.log("most tasks in the workers' hands at once", workers.mostInHand());
        assertThat(workers.mostInHand()).as("tasks the %d workers had in hand at once while %d tasks of %d ms were"
                + " submitted (submitting took %d ms): 1 means that submit() waits for the result before it returns."
                + " Return the future at once; the reply completes it later", WORKERS, x.length, SLOW_MILLIS, submitting)
                .isEqualTo(WORKERS);
    }

    @Test
    @Order(7)
    @Points(2)
    @DisplayName("each result reaches its own future, whatever order the results come back in")
    void resultsMatchedByCorrelationId() throws Exception {
        int count = 6;
        workers(1, 0).behaviour.holdFor = count; // one worker takes all six, then answers the last first
        TaskClient client = client(PATIENT);
        long[] x = distinct(count);
        Map<String, CompletableFuture<Long>> futures = new LinkedHashMap<>();
        Map<String, Long> expected = new LinkedHashMap<>();
        for (long value : x) {
            futures.put(squareOf(value), client.submit("square", value));
            expected.put(squareOf(value), value * value);
        }
        assertValues(futures, expected, () -> "the worker answered all " + count + " in reverse order. Tasks it saw: "
                + workers.received());
    }

    @Test
    @Order(8)
    @Points(2)
    @DisplayName("two clients, each used by two threads at once, each get their own results: each has a reply queue of its own")
    void twoClientsApart() throws Exception {
        workers(WORKERS, 1);
        TaskClient first = client(PATIENT);
        TaskClient second = client(PATIENT);
        long[] x = distinct(12);
        Map<String, CompletableFuture<Long>> futures = new ConcurrentHashMap<>();
        Map<String, Long> expected = new ConcurrentHashMap<>();
        // Four threads at once, two on each client: submit() is for any thread.
        Threads.race(4, BOUND, thread -> {
            TaskClient client = thread % 2 == 0 ? first : second;
            for (int i = thread; i < x.length; i += 4) {
                String task = squareOf(x[i]) + " of the " + (thread % 2 == 0 ? "first" : "second") + " client";
                expected.put(task, x[i] * x[i]);
                futures.put(task, client.submit("square", x[i]));
            }
        });
        Set<String> replyQueues = workers.received().stream().map(FakeWorkers.Received::replyTo)
                .collect(Collectors.toCollection(TreeSet::new));
        String shared = replyQueues.size() < 2 ? " Both clients asked for their replies on " + replyQueues + ": the"
                + " broker hands such a queue's messages to its consumers in turn, so each client gets half of the"
                + " other's results." : "";
        assertValues(new TreeMap<>(futures), expected, () -> "each client needs a reply queue of its own"
                + " (channel.queueDeclare(): a server-named, exclusive queue)." + shared);
    }

    @Test
    @Order(9)
    @Points(2)
    @DisplayName("a duplicate result, or one for no task of this client, is ignored: every future completes once, with its value")
    void duplicatesIgnored() throws Exception {
        workers(WORKERS, 1);
        workers.behaviour.copies = 2;
        workers.behaviour.strayFirst = true;
        workers.behaviour.strayGap = Duration.ofMillis(300);
        TaskClient client = client(PATIENT);
        long[] x = distinct(6);
        Map<String, CompletableFuture<Long>> futures = new LinkedHashMap<>();
        Map<String, Long> expected = new LinkedHashMap<>();
        for (long value : x) {
            CompletableFuture<Long> future = client.submit("square", value);
            futures.put(squareOf(value), future);
            expected.put(squareOf(value), value * value);
        }
        List<CompletableFuture<Long>> seen = new ArrayList<>(futures.values());
        AtomicInteger done = new AtomicInteger();
        seen.forEach(future -> future.whenComplete((value, failure) -> done.incrementAndGet()));
        assertValues(futures, expected, () -> "every reply came twice, after a reply with a correlation id that no task of"
                + " the client had: a reply for an unknown or already completed task must be ignored (at least once"
                + " delivery sends duplicates), and must not break the reply consumer (a consumer that throws has its"
                + " channel closed by the client library, and no reply reaches the client after that)");
        Eventually.within(BOUND, "the workers did not send every duplicate",
                () -> assertThat(workers.repliesSent()).hasSize(4 * x.length));
        assertThat(done.get()).as("completions of the %d futures, every reply having come twice", x.length)
                .isEqualTo(x.length);
        for (Map.Entry<String, CompletableFuture<Long>> entry : futures.entrySet()) {
            assertThat(entry.getValue().getNow(null)).as("%s after its duplicate reply came", entry.getKey())
                    .isEqualTo(expected.get(entry.getKey()));
        }
    }

    @Test
    @Order(10)
    @Points(2)
    @DisplayName("a task with no result within the deadline fails with a TimeoutException (deadlines of 300 and 800 ms); a late result is ignored")
    void deadline() throws Exception {
        workers(WORKERS, 1);
        for (long millis : new long[] {300, 800}) {
            Duration deadline = Duration.ofMillis(millis);
            long slow = distinct(1)[0];
            workers.behaviour.late = task -> task.args().get(0) == slow;
            workers.behaviour.lateBy = deadline.plusMillis(300);
            TaskClient client = client(deadline);
            long quick = slow + 1;
            long start = System.nanoTime();
            CompletableFuture<Long> late = client.submit("square", slow);
            CompletableFuture<Long> inTime = client.submit("square", quick);
            AtomicLong failedAt = new AtomicLong();
            late.whenComplete((value, failure) -> failedAt.set(System.nanoTime()));
            assertValues(Map.of(squareOf(quick), inTime), Map.of(squareOf(quick), quick * quick),
                    () -> "its worker replied at once");
            Duration grace = Duration.ofSeconds(2);
            try {
                Long value = late.get(millis + grace.toMillis(), TimeUnit.MILLISECONDS);
                fail(squareOf(slow) + " completed with " + value + " although its reply came only after its deadline of "
                        + millis + " ms: fail the future with a TimeoutException when the deadline passes");
            } catch (TimeoutException stillWaiting) {
                fail(squareOf(slow) + " had no result, and its future was still waiting " + grace.toSeconds() + " s after"
                        + " its deadline of " + millis + " ms: fail it with a TimeoutException when the deadline passes"
                        + " (orTimeout, or a scheduled task that completes it exceptionally)");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).as("what %s failed with, having no result within the deadline of %d ms",
                        squareOf(slow), millis).isInstanceOf(TimeoutException.class);
            }
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(failedAt.get() - start);
            Measure.log("deadline " + millis + " ms: the future failed after, ms", tookMillis); // 0-7 ms late (CALIBRATION.md)
            assertThat(tookMillis).as("ms after submit() at which %s failed, with a deadline of %d ms: the deadline"
                    + " given to the constructor", squareOf(slow), millis).isBetween(millis - 20, millis + 1_000);
            String lateId = workers.received().stream().filter(r -> r.task().args().get(0) == slow).findFirst()
                    .orElseThrow().correlationId();
            Eventually.within(BOUND, "the late reply was never sent", () -> assertThat(workers.repliesSent()).contains(lateId));
            Eventually.throughout(Duration.ofMillis(100), BOUND, "the late reply changed the failed future",
                    () -> assertThat(late.isCompletedExceptionally()).isTrue());
        }
    }

    @Test
    @Order(11)
    @Points(1)
    @DisplayName("an unknown task, a wrong number of arguments or a null is refused, naming it")
    void badArgumentsAreRefused() throws Exception {
        workers(WORKERS, 1);
        URI uri = broker.uri();
        String queue = workers.queue();
        Arguments.assertRefused("new TaskClient(null, queue, deadline)", NullPointerException.class, "broker",
                () -> new TaskClient(null, queue, PATIENT));
        Arguments.assertRefused("new TaskClient(broker, null, deadline)", NullPointerException.class, "queue",
                () -> new TaskClient(uri, null, PATIENT));
        Arguments.assertRefused("new TaskClient(broker, \" \", deadline)", IllegalArgumentException.class, "queue",
                () -> new TaskClient(uri, " ", PATIENT));
        Arguments.assertRefused("new TaskClient(broker, queue, null)", NullPointerException.class, "deadline",
                () -> new TaskClient(uri, queue, null));
        Arguments.assertRefused("new TaskClient(broker, queue, Duration.ZERO)", IllegalArgumentException.class, "deadline",
                () -> new TaskClient(uri, queue, Duration.ZERO));
        TaskClient client = client(PATIENT);
        Arguments.assertRefused("submit(\"cube\", 3)", IllegalArgumentException.class, "cube", () -> client.submit("cube", 3));
        Arguments.assertRefused("submit(\"square\", 1, 2)", IllegalArgumentException.class, "square",
                () -> client.submit("square", 1, 2));
        Arguments.assertRefused("submit(null, 1)", NullPointerException.class, "name", () -> client.submit(null, 1));
        Arguments.assertRefused("submit(\"square\", (long[]) null)", NullPointerException.class, "args",
                () -> client.submit("square", (long[]) null));
        assertThat(workers.received()).as("tasks that reached the workers: a refused task must not be published").isEmpty();
    }

    @Test
    @Order(12)
    @Points(1)
    @DisplayName("close() frees the connection, fails the futures still waiting, and submit() after it is refused")
    void closeFreesEverything() throws Exception {
        workers(WORKERS, 1);
        workers.behaviour.never = task -> true;
        TaskClient client = connect(broker.uri(), workers.queue(), PATIENT);
        long x = distinct(1)[0];
        CompletableFuture<Long> waiting = client.submit("square", x);
        Eventually.within(BOUND, "square(" + x + ") never reached a worker: does submit() publish to the work queue?",
                () -> assertThat(workers.received()).hasSize(1));
        client.close();
        Eventually.within(Duration.ofSeconds(1), "square(" + x + ") was still waiting 1 s after close(): close() must"
                + " fail the futures still waiting (with an IllegalStateException), since no reply can reach them now",
                () -> assertThat(waiting).isCompletedExceptionally());
        if (waiting.isCancelled()) {
            fail("close() cancelled square(" + x + "), which was still waiting: fail the futures still waiting with an"
                    + " IllegalStateException (completeExceptionally), as the Javadoc says. A cancelled future tells its"
                    + " caller that someone gave up on the task, not that the client closed before its result came");
        }
        Throwable failure = Arguments.thrownBy(waiting::join);
        assertThat(failure).as("what square(%d) failed with when the client was closed", x).isNotNull();
        assertThat(failure.getCause()).as("the cause square(%d) failed with when the client was closed", x)
                .isInstanceOf(IllegalStateException.class);
        String replyQueue = workers.received().get(0).replyTo();
        if (replyQueue != null && !replyQueue.startsWith(DIRECT_REPLY_TO)) {
            broker.deleteAfter(replyQueue); // if the client left it behind
            Eventually.within(BOUND, "the client's reply queue " + replyQueue + " was still on the broker after close():"
                    + " declare it with queueDeclare() (exclusive to the connection: the broker deletes it when the"
                    + " connection closes), or delete it in close()", () -> assertThat(broker.exists(replyQueue)).isFalse());
        }
        assertThat(Arguments.thrownBy(() -> client.submit("square", 2))).as("what submit(\"square\", 2) threw after"
                + " close()").isInstanceOf(IllegalStateException.class);
        Checks.assertNoThreadLeft(before, "client");
    }
}
