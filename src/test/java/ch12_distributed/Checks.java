package ch12_distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import kit.Arguments;
import kit.Broker;
import kit.Eventually;
import kit.ThreadReport;
import kit.Threads;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** What the worker's and the client's tests check alike. */
final class Checks {

    /** How long connecting to a broker that is not there may take: the library alone waits 5 s (CALIBRATION.md, ch12). */
    static final Duration GIVE_UP = Duration.ofSeconds(3);

    private Checks() {
    }

    /** {@code count} distinct numbers from 2 to 99,999, so that a task's value tells which task it was. */
    static long[] distinct(SplittableRandom random, int count) {
        Set<Long> seen = new HashSet<>();
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            long x;
            do {
                x = random.nextLong(2, 100_000);
            } while (!seen.add(x));
            values[i] = x;
        }
        return values;
    }

    /**
     * {@code connect} (a constructor, whose object it closes) must give up on a broker that is not there,
     * within {@link #GIVE_UP}, with an IOException naming the broker's host and port: both where nothing
     * listens, and where something takes the connection and never answers.
     *
     * @param call the call in words, with {@code %s} for the broker's URI
     */
    static void assertGivesUpOnMissingBrokers(String call, Constructor connect) throws Exception {
        assertGivesUp(call, Broker.nobodyListening(), "where nothing listens", connect);
        try (Broker.Silent silent = new Broker.Silent()) {
            assertGivesUp(call, silent.uri(), "that takes the connection and never answers", connect);
        }
    }

    /** A constructor of the exercise, given a broker's URI; it returns what is to be closed. */
    @FunctionalInterface
    interface Constructor {
        AutoCloseable connect(URI broker) throws Exception;
    }

    private static void assertGivesUp(String callPattern, URI uri, String which, Constructor connect) throws Exception {
        String call = String.format(callPattern, uri) + " on a broker " + which;
        ThrowingCallable attempt = () -> connect.connect(uri).close();
        Optional<Throwable> thrown = Threads.callWithin(GIVE_UP, () -> Optional.ofNullable(Arguments.thrownBy(attempt))
                .orElse(new AssertionError(call + " returned normally")));
        if (thrown.isEmpty()) {
            fail(call + " had not given up after " + GIVE_UP.toSeconds() + " s: give the connection timeouts of its own"
                    + " (ConnectionFactory.setConnectionTimeout and setHandshakeTimeout; by default the client waits 5 s"
                    + " for a broker's first word, and 60 s for a connection)");
        }
        String place = uri.getHost() + ":" + uri.getPort();
        assertThat(thrown.get()).as("what %s threw", call).isInstanceOf(IOException.class);
        assertThat(thrown.get().getMessage()).as("the message of the IOException %s threw: it should name the broker"
                + " (%s), so that whoever reads it knows which broker is missing", call, place).contains(place);
    }

    /** The threads alive now: pass them to {@link #assertNoThreadLeft} later. */
    static Set<Thread> liveThreads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    /**
     * Once the exercise's objects are closed, no thread started since {@code before} may still run (daemons
     * aside: the test's own connection has only daemons; and JUnit's, which run the test). Gives them 3 s to end.
     *
     * @param whose "worker" or "client", for the message
     */
    static void assertNoThreadLeft(Set<Thread> before, String whose) {
        Eventually.within(Duration.ofSeconds(3), "threads of the " + whose + " still run after close(): close the"
                + " connection (connection.close()), not only the channel", () -> {
                    Set<Thread> left = liveThreads();
                    left.removeAll(before);
                    left.removeIf(thread -> thread.isDaemon() || !thread.isAlive() || thread == Thread.currentThread()
                            || thread.getName().startsWith("junit-"));
                    assertThat(left).as("threads left:\n%s", ThreadReport.describe(left)).isEmpty();
                });
    }
}
