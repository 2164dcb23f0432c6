package ch12_distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kit.Arguments;
import kit.Broker;
import kit.Eventually;
import kit.Exercise;
import kit.Measure;
import kit.Observations;
import kit.Points;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker, graded on its own: three worker processes run the student's {@link TaskWorker}
 * ({@link Workers}), and the test is their client, written with the bare AMQP library
 * ({@link Requests}). The workers are started by the first test that needs them and reused; what
 * they report (each task as it starts, in which process) tells the tests where a task went.
 */
@Exercise(33)
class TaskWorkerTest {

    @RegisterExtension
    static final Broker broker = new Broker();

    private static final int WORKERS = 3;
    /** A quick task's reply comes in milliseconds; a loaded machine may take a second or two. */
    private static final Duration REPLY_BOUND = Duration.ofSeconds(5);
    /** 40 tasks of 100 ms: 4 s one after another, about 1.4 s over 3 workers (CALIBRATION.md, ch12). */
    private static final int MANY = 40;
    private static final long SHORT_MILLIS = 100;
    private static final double WELL_UNDER = 0.6;
    /** The fair-dispatch test keeps every worker busy this long, and sends this many tasks meanwhile. */
    private static final long BUSY_MILLIS = 2_000;
    private static final int WAITING = 2;
    /** The tasks of the kill test: long enough that the kill lands in the middle of one. */
    private static final long KILLED_MILLIS = 800;

    private static String queue;
    private static Workers workers;

    private final SplittableRandom random = new SplittableRandom();
    private Requests requests;

    @BeforeAll
    static void createQueue() throws IOException {
        queue = broker.newQueue("tasks");
        workers = new Workers(broker, queue, WORKERS);
    }

    @AfterAll
    static void stopWorkers() {
        workers.close();
    }

    @AfterEach
    void closeRequests() throws IOException {
        if (requests != null) {
            requests.close();
        }
    }

    /** Three workers consuming from an empty queue, and a client of the test's own. */
    private Requests start() throws IOException, InterruptedException {
        workers.ready();
        broker.purge(queue);
        requests = new Requests(broker, queue);
        return requests;
    }

    private long[] distinct(int count) {
        return Checks.distinct(random, count);
    }

    private static String describe(String body) {
        try {
            return Task.decode(body.getBytes(StandardCharsets.UTF_8)).toString();
        } catch (IllegalArgumentException notATask) {
            return "'" + body + "'";
        }
    }

    /** The reply to {@code id}, waited for; if none comes, a failure that says what went wrong. */
    private Reply reply(String id) throws Exception {
        if (!requests.awaitAll(List.of(id), REPLY_BOUND).isEmpty()) {
            fail(whyNoReply(id));
        }
        return requests.answersTo(id).get(0).reply();
    }

    /** What the broker and the workers show about a request that had no reply. */
    private String whyNoReply(String id) throws IOException {
        Requests.Sent sent = requests.sent(id);
        String task = describe(sent.body());
        String output = "\n  what the workers printed:\n" + workers.output();
        List<Requests.Answer> strays = requests.strays();
        if (!strays.isEmpty()) {
            return "no reply to " + task + " carried its correlation id, but " + strays.size() + " replies came back with"
                    + " another (" + strays.get(0).correlationId() + ": \"" + strays.get(0).body() + "\"): copy the"
                    + " request's correlation id into the reply's properties (correlationId), so that the client"
                    + " can tell which task a reply answers" + output;
        }
        int consumers = broker.consumers(queue);
        if (consumers < workers.pids().size()) {
            return "no reply to " + task + " within " + REPLY_BOUND.toSeconds() + " s, and only " + consumers + " of the "
                    + workers.pids().size() + " workers still consume from the queue: a worker's channel was closed, as"
                    + " the client library does when the consumer's callback throws. Catch what a task throws and send"
                    + " it back as a failed reply (Reply.failure with the exception's message)" + output;
        }
        boolean started = workers.startedSince(sent.nanos()).stream()
                .anyMatch(s -> new String(s.task().encode(), StandardCharsets.UTF_8).equals(sent.body()));
        if (started) {
            return "a worker started " + task + " but no reply came back within " + REPLY_BOUND.toSeconds() + " s:"
                    + " publish the reply (Reply.encode) through the default exchange \"\" to the queue named by the"
                    + " request's replyTo, then ack" + output;
        }
        return "no worker took " + task + " within " + REPLY_BOUND.toSeconds() + " s, although " + consumers + " consume"
                + " from the queue: does each worker ack (basicAck) its task after replying? With a prefetch of 1 the"
                + " broker sends a worker nothing more until it has acked the task it has" + output;
    }

    /** The tasks among {@code bodies} that workers reported starting since {@code since}, first first. */
    private static List<Workers.Started> startedOf(Set<String> bodies, long since) {
        return workers.startedSince(since).stream()
                .filter(s -> bodies.contains(new String(s.task().encode(), StandardCharsets.UTF_8))).toList();
    }

    /** The report page's picture of the queue: the tasks waiting in it, and each worker's tasks from start to reply. */
    private void pictureOfTheQueue(List<String> ids, long since) {
        Map<String, String> idOfBody = new HashMap<>();
        ids.forEach(id -> idOfBody.put(requests.sent(id).body(), id));
        Map<String, List<long[]>> busy = new LinkedHashMap<>();
        workers.pids().forEach(pid -> busy.put("worker pid " + pid, new ArrayList<>()));
        for (Workers.Started s : workers.startedSince(since)) {
            String id = idOfBody.get(new String(s.task().encode(), StandardCharsets.UTF_8));
            if (id != null) {
                List<Requests.Answer> answers = requests.answersTo(id);
                long end = answers.isEmpty() ? System.nanoTime() : answers.get(0).nanos();
                busy.computeIfAbsent("worker pid " + s.pid(), k -> new ArrayList<>()).add(new long[] {s.nanos(), end});
            }
        }
        Observations.workQueue(queue, ids.stream().map(id -> requests.sent(id).nanos()).toList(), busy);
    }

    private void assertValue(String id, long expected) throws Exception {
        Reply reply = reply(id);
        String task = describe(requests.sent(id).body());
        assertThat(reply.failed()).as("%s came back failed (\"%s\"), expected the value %d", task, reply.error(), expected)
                .isFalse();
        assertThat(reply.value()).as("the value %s came back with", task).isEqualTo(expected);
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("a broker that is not there: the constructor gives up within seconds with an IOException naming it")
    void missingBrokerIsNamed() throws Exception {
        Arguments.assertRefused("new TaskWorker(null, queue)", NullPointerException.class, "broker",
                () -> new TaskWorker(null, "tasks"));
        Arguments.assertRefused("new TaskWorker(broker, null)", NullPointerException.class, "queue",
                () -> new TaskWorker(broker.uri(), null));
        Arguments.assertRefused("new TaskWorker(broker, \" \")", IllegalArgumentException.class, "queue",
                () -> new TaskWorker(broker.uri(), " "));
        Checks.assertGivesUpOnMissingBrokers("new TaskWorker(%s, queue)", uri -> new TaskWorker(uri, "tasks"));
    }

    @Test
    @Order(2)
    @Points(1)
    @DisplayName("the constructor declares the work queue durable, shared and kept, also when the worker is the first to use it")
    void declaresWorkQueue() throws Exception {
        String own = broker.newName("declared");
        int since = broker.tap().connections();
        try (TaskWorker worker = tapped(own)) {
            assertThat(broker.exists(own)).as("whether the work queue exists once the constructor has returned: the"
                    + " worker must declare it (queueDeclare), as it may be the first to use it").isTrue();
            Wire.assertDeclaredAsWorkQueue(broker.tap(), since, own, "the worker");
        }
    }

    @Test
    @Order(3)
    @Points(1)
    @DisplayName("the constructor sets the prefetch of 1 before it starts consuming, as RabbitMQ applies it only to consumers started after it")
    void prefetchBeforeConsuming() throws Exception {
        String own = broker.newQueue("prefetch");
        try (TaskWorker worker = tapped(own)) {
            Wire.assertPrefetchBeforeConsuming(broker.tap(), own);
        }
    }

    /**
     * A worker in this JVM on {@code own}, connected through the class's tap, so that the test sees its
     * frames; a constructor that fails on a queue nobody declared yet is told why.
     */
    private static TaskWorker tapped(String own) throws IOException {
        try {
            return new TaskWorker(broker.tap().uri(), own);
        } catch (IOException e) {
            throw new AssertionError("new TaskWorker(broker, \"" + own + "\") threw " + e + (e.getCause() == null ? ""
                    : " (" + e.getCause().getMessage() + ")") + " on a queue that nobody may have declared yet: a worker"
                    + " may be the first to use the work queue, so its constructor declares it (queueDeclare(queue, true,"
                    + " false, false, null)) before it consumes", e);
        }
    }

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("a task's value comes back to its reply queue, with its correlation id, from a worker process")
    void roundTrip() throws Exception {
        start();
        long[] x = distinct(3);
        String square = requests.send(Task.of("square", x[0]));
        String add = requests.send(Task.of("add", x[1], x[2]));
        assertValue(square, x[0] * x[0]);
        assertValue(add, x[1] + x[2]);
        assertThat(workers.pids()).as("the pids of the worker processes: the reply to square(%d) should come from one of"
                + " them", x[0]).contains(reply(square).workerPid());
    }

    @Test
    @Order(5)
    @Points(2)
    @DisplayName("a task that throws comes back as a failed reply carrying the error's message, and the workers go on")
    void failureIsAReply() throws Exception {
        start();
        long[] x = distinct(9);
        List<String> divisions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            divisions.add(requests.send(Task.of("divide", x[i], 0)));
        }
        for (String id : divisions) {
            Reply reply = reply(id);
            String task = describe(requests.sent(id).body());
            assertThat(reply.failed()).as("%s came back as the value %d: a task that throws must come back as a failed"
                    + " reply, Reply.failure(the exception's message)", task, reply.value()).isTrue();
            assertThat(reply.error()).as("the error %s came back with: the ArithmeticException's message", task)
                    .contains("/ by zero");
        }
        List<String> after = new ArrayList<>();
        for (int i = 3; i < 9; i++) {
            after.add(requests.send(Task.of("slowSquare", x[i], 50)));
        }
        for (int i = 3; i < 9; i++) {
            assertValue(after.get(i - 3), x[i] * x[i]);
        }
        assertThat(broker.consumers(queue)).as("workers consuming from the queue after the failures (a consumer whose"
                + " callback throws has its channel closed by the client library)").isEqualTo(WORKERS);
    }

    @Test
    @Order(6)
    @Points(1)
    @DisplayName("an unknown task, a wrong number of arguments or a message that is no task comes back as a failed reply")
    void badTasksAreFailedReplies() throws Exception {
        start();
        Map<String, String> expected = new TreeMap<>(Map.of(
                "cube 3", "cube",
                "square 1 2", "argument",
                "add 4", "argument",
                "square seven", "not a task"));
        Map<String, String> ids = new TreeMap<>();
        for (String body : expected.keySet()) {
            ids.put(body, requests.sendBody(body));
        }
        for (Map.Entry<String, String> request : ids.entrySet()) {
            Reply reply = reply(request.getValue());
            assertThat(reply.failed()).as("the message '%s' came back as the value %d: it must come back as a failed"
                    + " reply", request.getKey(), reply.value()).isTrue();
            assertThat(reply.error()).as("the error the message '%s' came back with: the exception's message",
                    request.getKey()).contains(expected.get(request.getKey()));
        }
        long x = distinct(1)[0];
        assertValue(requests.send(Task.of("square", x)), x * x);
    }

    @Test
    @Order(7)
    @Points(1)
    @DisplayName("close() stops the consuming and frees the connection: no thread of the worker is left")
    void closeFreesEverything() throws Exception {
        String own = broker.newQueue("close");
        Set<Thread> before = Checks.liveThreads();
        TaskWorker worker = new TaskWorker(broker.uri(), own);
        try {
            assertThat(broker.consumers(own)).as("consumers of the queue when the constructor has returned: it must be"
                    + " consuming (basicConsume) by then").isEqualTo(1);
            requests = new Requests(broker, own);
            long x = distinct(1)[0];
            String id = requests.send(Task.of("square", x));
            if (!requests.awaitAll(List.of(id), REPLY_BOUND).isEmpty()) {
                fail("the worker made in this JVM did not answer square(" + x + ") within " + REPLY_BOUND.toSeconds() + " s");
            }
            // Its ack follows the reply: close only once the broker has it, or close() races the ack.
            Eventually.within(REPLY_BOUND, "the worker made in this JVM answered square(" + x + ") but never acked it",
                    () -> assertThat(broker.messages(own)).isZero());
        } finally {
            worker.close();
        }
        Eventually.within(REPLY_BOUND, "the broker still sees the worker's consumer after close(): close the connection",
                () -> assertThat(broker.consumers(own)).isZero());
        Checks.assertNoThreadLeft(before, "worker");
    }

    @Test
    @Order(8)
    @Points(2)
    @DisplayName("40 tasks of 100 ms over 3 workers take well under the 4 s they take one after another, and every worker does some")
    void workIsShared() throws Exception {
        start();
        long[] x = distinct(MANY);
        long start = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (long value : x) {
            ids.add(requests.send(Task.of("slowSquare", value, SHORT_MILLIS)));
        }
        List<String> missing = requests.awaitAll(ids, Duration.ofMillis(MANY * SHORT_MILLIS * 3));
        pictureOfTheQueue(ids, start);
        if (!missing.isEmpty()) {
            fail("only " + (MANY - missing.size()) + " of " + MANY + " tasks came back: " + whyNoReply(missing.get(0)));
        }
        long last = ids.stream().mapToLong(id -> requests.answersTo(id).get(0).nanos()).max().orElseThrow();
        long millis = TimeUnit.NANOSECONDS.toMillis(last - start);
        Measure.log("40 tasks of 100 ms over 3 workers, ms", millis);
        for (int i = 0; i < MANY; i++) {
            assertValue(ids.get(i), x[i] * x[i]);
        }
        Map<Long, Long> perWorker = ids.stream().map(id -> requests.answersTo(id).get(0).reply().workerPid())
                .collect(Collectors.groupingBy(pid -> pid, TreeMap::new, Collectors.counting()));
        long sequential = MANY * SHORT_MILLIS;
        String hoarding = "a worker that takes more than one task at a time (no basicQos(1); autoAck, with which the"
                + " prefetch limit does not apply; or an ack before the work) can be handed the whole queue while the"
                + " others stand idle";
        assertThat(perWorker.keySet()).as("the pids the %d replies came from (tasks per pid: %s): every worker should"
                + " have done some; %s", MANY, perWorker, hoarding).containsAll(workers.pids());
        assertThat(millis).as("ms for %d tasks of %d ms over %d workers (one after another: %d ms; tasks per worker pid:"
                + " %s): %s", MANY, SHORT_MILLIS, WORKERS, sequential, perWorker, hoarding)
                .isLessThan((long) (sequential * WELL_UNDER));
    }

    @Test
    @Order(9)
    @Points(2)
    @DisplayName("a busy worker takes no second task: tasks sent while every worker is busy wait in the queue for the next free worker")
    void fairDispatch() throws Exception {
        start();
        long[] x = distinct(WORKERS + WAITING);
        long start = System.nanoTime();
        List<String> busy = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            busy.add(requests.send(Task.of("slowSquare", x[i], BUSY_MILLIS)));
        }
        Set<String> busyBodies = busy.stream().map(id -> requests.sent(id).body()).collect(Collectors.toSet());
        String hoarding = " A worker must hold one unacknowledged task at a time: basicQos(1), manual acks (with autoAck"
                + " the prefetch limit does not apply), and ack each task only after its reply is published (an ack"
                + " before the work lets the broker send the next task at once)";
        Eventually.within(REPLY_BOUND, "the " + WORKERS + " tasks of " + BUSY_MILLIS + " ms sent to " + WORKERS + " idle"
                + " workers did not start on " + WORKERS + " different workers at once: one worker took more than one."
                + hoarding, () -> assertThat(startedOf(busyBodies, start).stream().map(Workers.Started::pid).distinct())
                        .hasSize(WORKERS));
        List<String> waiting = new ArrayList<>();
        for (int i = WORKERS; i < x.length; i++) {
            waiting.add(requests.send(Task.of("slowSquare", x[i], SHORT_MILLIS)));
        }
        // A newcomer: a worker of the test's own, free, that comes while the others are busy.
        try (FakeWorkers newcomer = new FakeWorkers(broker, queue, 1, 1)) {
            Eventually.within(Duration.ofMillis(BUSY_MILLIS / 2), "the " + WAITING + " tasks sent while every worker was"
                    + " busy had already been handed to the busy workers: a free worker that came along found none of"
                    + " them in the queue, and they wait behind the busy workers' tasks." + hoarding,
                    () -> assertThat(newcomer.received()).isNotEmpty());
            Measure.log("tasks the newcomer found waiting while every worker was busy", newcomer.received().size());
            List<String> all = new ArrayList<>(busy);
            all.addAll(waiting);
            List<String> missing = requests.awaitAll(all, Duration.ofMillis(BUSY_MILLIS * 3));
            if (!missing.isEmpty()) {
                fail(whyNoReply(missing.get(0)));
            }
        }
        for (int i = 0; i < x.length; i++) {
            String id = i < WORKERS ? busy.get(i) : waiting.get(i - WORKERS);
            assertValue(id, x[i] * x[i]);
        }
    }

    @Test
    @Order(10)
    @Points(1)
    @DisplayName("each task is acknowledged only after its reply is published, so that a worker dying between the two loses nothing")
    void acksAfterReplying() throws Exception {
        String own = broker.newQueue("acks");
        try (TaskWorker worker = tapped(own)) {
            requests = new Requests(broker, own);
            long[] x = distinct(4);
            List<String> ids = new ArrayList<>();
            for (long value : x) {
                ids.add(requests.send(Task.of("square", value)));
            }
            for (int i = 0; i < x.length; i++) {
                assertValue(ids.get(i), x[i] * x[i]);
            }
            Set<String> sent = Set.copyOf(ids);
            // The ack may follow the reply a moment later: wait until the tap has seen one for every task.
            Eventually.within(REPLY_BOUND, "the worker replied to " + x.length + " tasks but did not ack them all (basicAck"
                    + " after publishing the reply)", () -> assertThat(Wire.handled(broker.tap(), own).stream()
                            .filter(t -> sent.contains(t.correlationId()) && t.ack().isPresent())
                            .map(Wire.Handled::correlationId).distinct()).hasSize(x.length));
            for (Wire.Handled task : Wire.handled(broker.tap(), own)) {
                if (sent.contains(task.correlationId())) {
                    Wire.assertRepliedBeforeAck(task, describe(requests.sent(task.correlationId()).body()));
                }
            }
        }
    }

    @Test
    @Order(11)
    @Points(3)
    @DisplayName("a worker killed in the middle of a task loses nothing: the broker gives the task to another worker")
    @Timeout(30) // a worker to restart, then up to 6.4 s for the tasks and 2.8 s more for the killed one
    void killedWorkerLosesNothing() throws Exception {
        start();
        long[] x = distinct(2 * WORKERS);
        long start = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (long value : x) {
            ids.add(requests.send(Task.of("slowSquare", value, KILLED_MILLIS)));
        }
        Set<String> bodies = ids.stream().map(id -> requests.sent(id).body()).collect(Collectors.toSet());
        Eventually.within(REPLY_BOUND, "no worker started any of the tasks", () -> assertThat(startedOf(bodies, start))
                .isNotEmpty());
        Workers.Started victim = startedOf(bodies, start).get(0);
        workers.kill(victim.pid());
        long killed = System.nanoTime();
        String victimBody = new String(victim.task().encode(), StandardCharsets.UTF_8);
        String victimId = ids.stream().filter(id -> requests.sent(id).body().equals(victimBody)).findFirst().orElseThrow();
        List<String> others = ids.stream().filter(id -> !id.equals(victimId)).toList();
        List<String> missing = new ArrayList<>(requests.awaitAll(others, Duration.ofMillis(KILLED_MILLIS * 8)));
        // Given back at the kill, the victim's task is done by the time the others are, or one task's time later.
        missing.addAll(requests.awaitAll(List.of(victimId), Duration.ofMillis(KILLED_MILLIS + 2_000)));
        if (!missing.isEmpty()) {
            String lost = missing.stream().map(id -> describe(requests.sent(id).body())).collect(Collectors.joining(", "));
            fail(lost + (missing.size() == 1 ? " was" : " were") + " lost when a worker (pid " + victim.pid() + ") was"
                    + " killed in the middle of " + victim.task() + ": no other worker ever got "
                    + (missing.size() == 1 ? "it" : "them") + ". The broker gives a task to another worker only if it"
                    + " was not acknowledged: consume with manual acks (autoAck false) and ack each task only after its"
                    + " reply is published, not when it arrives\n  what the workers printed:\n" + workers.output());
        }
        Measure.log("ms from the kill to the killed task's reply from another worker",
                TimeUnit.NANOSECONDS.toMillis(requests.answersTo(victimId).get(0).nanos() - killed));
        for (int i = 0; i < x.length; i++) {
            assertValue(ids.get(i), x[i] * x[i]);
        }
        assertThat(requests.answersTo(victimId)).as("replies to %s, whose worker (pid %d) was killed while it ran it",
                victim.task(), victim.pid()).allMatch(answer -> answer.reply().workerPid() != victim.pid());
    }
}
