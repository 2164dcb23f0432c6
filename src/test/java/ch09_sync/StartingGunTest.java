package ch09_sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import kit.Arguments;
import kit.Exercise;
import kit.Points;
import kit.Blocking;
import kit.Eventually;
import kit.Threads;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(26)
class StartingGunTest {

    private static final Duration BOUND = Duration.ofSeconds(5);
    /** How long the slow runner takes to get ready, watching that nobody runs meanwhile. */
    private static final Duration SLOW_READY = Duration.ofMillis(300);
    /** How long the first test keeps the runners' threads from ending, watching that race waits for them. */
    private static final Duration HELD = Duration.ofMillis(200);
    /** How often the failed go is played: the others must go after runner 0 has failed at least once. */
    private static final int ROUNDS = 3;

    /** One thing a runner did, in the order they happened. */
    private record Event(String what, int runner, Thread thread) {
        @Override
        public String toString() {
            return what + " " + runner;
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();

    private void log(String what, int runner) {
        events.add(new Event(what, runner, Thread.currentThread()));
    }

    private void raceWithin(int runners, Task ready, Task go) throws Exception {
        Blocking.within(BOUND, () -> "race(" + runners + ", ready, go) did not return within " + BOUND.toSeconds()
                + " s; so far: " + events + ". Is the ready latch counted down by every runner, also when its ready"
                + " step throws (in a finally), and does the gun fire?", () -> {
                    StartingGun.race(runners, ready, go);
                    return null;
                });
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("every runner gets ready, then runs, once, each on a thread of its own, all ended when race returns")
    void everyRunnerRuns() throws Exception {
        for (int runners : new int[] {1, 5}) {
            events.clear();
            try (Threads.ExitHold exits = new Threads.ExitHold()) {
                // Each runner's thread is kept from ending after its go step, for a while: race must wait for it.
                Blocking.Call<Void> racing = Blocking.run(() -> StartingGun.race(runners, runner -> log("ready", runner),
                        runner -> {
                            log("go", runner);
                            exits.hold(Thread.currentThread());
                        }));
                Eventually.within(BOUND, runners + " runners did not all go within " + BOUND.toSeconds() + " s; so far: "
                        + events, () -> assertThat(exits.held().size() == runners || racing.isDone()).isTrue());
                if (racing.failure() != null) {
                    Arguments.unlessTodo(racing.failure());
                }
                exits.assertWaitedFor(racing, "race", "race returned while the runner threads had not ended (each"
                        + " had finished its go step, and its thread was kept from ending for a while)", "join them,"
                        + " each thread", HELD, BOUND);
            }
            for (int r = 0; r < runners; r++) {
                int runner = r;
                List<Event> mine = events.stream().filter(e -> e.runner() == runner).toList();
                assertThat(mine).as("what runner %d of %d did before race returned: ready, then go, once each (join them:"
                        + " race returns only once every runner has ended)", r, runners).extracting(Event::what).containsExactly("ready", "go");
                assertThat(mine.get(0).thread()).as("runner %d's thread: the same for ready and go, not the caller",
                        r).isSameAs(mine.get(1).thread()).isNotSameAs(Thread.currentThread());
            }
            assertThat(events.stream().map(Event::thread).distinct().count()).as("threads of %d runners", runners)
                    .isEqualTo(runners);
            assertThat(events).as("runner threads alive after race returned: join them")
                    .noneMatch(e -> e.thread().isAlive());
        }
    }

    @Test
    @Order(2)
    @Points(3)
    @DisplayName("the gun fires only once every runner is ready: nobody runs while one is still getting ready")
    void gunWaitsForEveryRunner() throws Exception {
        raceWithin(4, runner -> {
            log("ready begins", runner);
            if (runner == 2) {
                // The slow runner: it takes a while, and watches whether anyone runs meanwhile.
                long end = System.nanoTime() + SLOW_READY.toNanos();
                while (System.nanoTime() < end && events.stream().noneMatch(e -> e.what().equals("go"))) {
                    LockSupport.parkNanos(1_000_000);
                }
            }
            log("ready ends", runner);
        }, runner -> log("go", runner));
        int slowReady = events.indexOf(events.stream().filter(e -> e.what().equals("ready ends") && e.runner() == 2)
                .findFirst().orElseThrow(() -> new AssertionError("runner 2 never got ready: " + events)));
        List<Event> early = events.subList(0, slowReady).stream().filter(e -> e.what().equals("go")).toList();
        assertThat(early).as("runners that ran while runner 2 was still getting ready (%s): the gun fired too early."
                + " Count the ready latch down only after ready() has returned, and fire the gun once that latch is"
                + " open", events).isEmpty();
        assertThat(events).as("what the runners did").filteredOn(e -> e.what().equals("go")).hasSize(4);
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("a ready step that throws: the gun never fires, nobody waits for ever, race reports it with its cause")
    void failedReadyStopsTheRace() throws Exception {
        IllegalStateException bad = new IllegalStateException("runner 1 is not ready");
        Throwable thrown = Arguments.thrownBy(() -> raceWithin(3, runner -> {
            log("ready", runner);
            if (runner == 1) {
                throw bad;
            }
        }, runner -> log("go", runner)));
        assertThat(events).as("what the runners did when runner 1's ready step threw: nobody may run; the gun"
                + " never fires after a failed ready").extracting(Event::what).containsOnly("ready");
        assertThat(thrown).as("what race threw when runner 1's ready step threw: a CompletionException whose cause"
                + " is what ready threw").isInstanceOf(CompletionException.class).cause().isSameAs(bad);
        assertThat(events).as("runner threads alive after race returned: join them before race returns, also when a step"
                + " failed").noneMatch(e -> e.thread().isAlive());
    }

    @Test
    @Order(4)
    @Points(1)
    @DisplayName("a go step that throws stops nobody else; race reports it with its cause; bad arguments are refused")
    void failedGoAndBadArguments() throws Exception {
        Task nothing = runner -> { };
        Arguments.assertRefused("race(0, ready, go)", IllegalArgumentException.class, "runners",
                () -> StartingGun.race(0, nothing, nothing));
        Arguments.assertRefused("race(2, null, go)", NullPointerException.class, "ready",
                () -> StartingGun.race(2, null, nothing));
        Arguments.assertRefused("race(2, ready, null)", NullPointerException.class, "go",
                () -> StartingGun.race(2, nothing, null));
        for (int round = 1; round <= ROUNDS; round++) {
            events.clear();
            IllegalStateException bad = new IllegalStateException("runner 0 fell");
            // Runner 0 is the first to wait for the gun, so the first to go: its go throws before the others go.
            Throwable thrown = Arguments.thrownBy(() -> raceWithin(4, runner -> {
                log("ready", runner);
                if (runner != 0) {
                    awaitWaitingForTheGun(0);
                }
            }, runner -> {
                log("go", runner);
                if (runner == 0) {
                    throw bad;
                }
            }));
            List<Event> went = events.stream().filter(e -> e.what().equals("go")).toList();
            if (went.size() < 4) {
                boolean ended = events.stream().noneMatch(e -> e.thread().isAlive());
                throw new AssertionError("round " + round + ": runner 0's go step threw, and only " + went + " ran by the"
                        + " time race returned: " + (ended ? "the others ended without running. A failed go must stop"
                        + " nobody: only a failed ready step keeps the runners from going (keep its failure apart"
                        + " from the go steps' failures)" : "join them: race returns only once every runner has ended,"
                        + " also when one failed"));
            }
            assertThat(thrown).as("what race threw when runner 0's go step threw").isInstanceOf(CompletionException.class)
                    .cause().isSameAs(bad);
        }
    }

    /** A ready step's wait until runner {@code first} is ready and parked (at the gun), at most 2 s. */
    private void awaitWaitingForTheGun(int first) {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < deadline && events.stream().noneMatch(e -> e.what().equals("ready") && e.runner() == first
                && Blocking.isWaiting(e.thread()))) {
            LockSupport.parkNanos(1_000_000);
        }
    }
}
