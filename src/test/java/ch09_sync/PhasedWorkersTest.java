package ch09_sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import kit.Arguments;
import kit.Blocking;
import kit.Eventually;
import kit.Threads;
import kit.Exercise;
import kit.Points;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Exercise(25)
class PhasedWorkersTest {

    private static final Duration BOUND = Duration.ofSeconds(5);
    /** How long the first test keeps the workers' threads from ending, watching that run waits for them. */
    private static final Duration HELD = Duration.ofMillis(200);

    /** One thing a step did, in the order they happened. */
    private record Event(String what, int worker, int phase, Thread thread) {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();

    private void log(String what, int worker, int phase) {
        events.add(new Event(what, worker, phase, Thread.currentThread()));
    }

    private void runWithin(int workers, int phases, Step step) throws Exception {
        Blocking.within(BOUND, () -> "run(" + workers + ", " + phases + ", step) did not return within "
                + BOUND.toSeconds() + " s. Steps so far: " + events.stream().map(e -> e.what() + " " + e.worker()
                        + "/" + e.phase()).toList() + ". Does every worker arrive at the barrier after every phase,"
                + " also after a step threw?", () -> {
                    PhasedWorkers.run(workers, phases, step);
                    return null;
                });
    }

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("every worker runs every phase once, each worker on a thread of its own, all ended when run returns")
    void everyWorkerRunsEveryPhase() throws Exception {
        for (int[] shape : new int[][] {{1, 2}, {4, 3}, {3, 0}}) {
            events.clear();
            int workers = shape[0];
            int phases = shape[1];
            try (Threads.ExitHold exits = new Threads.ExitHold()) {
                // Each worker's thread is kept from ending after its steps, for a while: run must wait for it.
                Blocking.Call<Void> running = Blocking.run(() -> PhasedWorkers.run(workers, phases, (worker, phase) -> {
                    log("step", worker, phase);
                    exits.hold(Thread.currentThread());
                }));
                int expected = phases == 0 ? 0 : workers;
                Eventually.within(BOUND, "run(" + workers + ", " + phases + ", step) did not run every step within "
                        + BOUND.toSeconds() + " s; so far: " + events.size(),
                        () -> assertThat(exits.held().size() == expected && events.size() == workers * phases
                                || running.isDone()).isTrue());
                if (running.failure() != null) {
                    Arguments.unlessTodo(running.failure());
                }
                exits.assertWaitedFor(running, "run", "run returned while the worker threads had not ended (each had"
                        + " finished its steps, and its thread was kept from ending for a while)", "join the workers,"
                        + " each thread", HELD, BOUND);
            }
            assertThat(events).as("steps run by run(%d workers, %d phases): each worker each phase, once, and all"
                    + " of them before run returns (join the workers)", workers, phases).hasSize(workers * phases);
            for (int w = 0; w < workers; w++) {
                for (int p = 0; p < phases; p++) {
                    int worker = w;
                    int phase = p;
                    assertThat(events).as("steps of worker %d in phase %d", w, p)
                            .filteredOn(e -> e.worker() == worker && e.phase() == phase).hasSize(1);
                }
            }
            Map<Integer, Set<Thread>> threads = new ConcurrentHashMap<>();
            events.forEach(e -> threads.computeIfAbsent(e.worker(), k -> ConcurrentHashMap.newKeySet()).add(e.thread()));
            threads.forEach((worker, used) -> assertThat(used).as("threads worker %d ran on: one, its own", worker)
                    .hasSize(1).doesNotContain(Thread.currentThread()));
            assertThat(threads.values().stream().flatMap(Set::stream).distinct().count())
                    .as("threads of %d workers: one each", workers).isEqualTo(threads.size());
            assertThat(events).as("worker threads alive after run returned: join them")
                    .noneMatch(e -> e.thread().isAlive());
        }
    }

    @Test
    @Order(2)
    @Points(3)
    @DisplayName("nobody begins a phase before every worker has finished the one before, though worker 0 is slow")
    void nobodyRunsAhead() throws Exception {
        int workers = 3;
        int phases = 3;
        runWithin(workers, phases, (worker, phase) -> {
            log("begin", worker, phase);
            if (worker == 0) {
                waitUntilOthersWaitOrRunAhead(workers, phase);
            }
            log("end", worker, phase);
        });
        for (int p = 1; p < phases; p++) {
            int phase = p;
            int lastEnd = lastIndex(e -> e.what().equals("end") && e.phase() == phase - 1);
            int firstBegin = firstIndex(e -> e.what().equals("begin") && e.phase() == phase);
            if (firstBegin < lastEnd) {
                Event early = events.get(firstBegin);
                Event late = events.get(lastEnd);
                throw new AssertionError("worker " + early.worker() + " began phase " + phase + " while worker "
                        + late.worker() + " was still in phase " + (phase - 1) + ": a worker ran ahead. Every worker"
                        + " must wait at a barrier after each phase, one that can be used again for the next phase"
                        + " (a CyclicBarrier; a CountDownLatch opens once and stays open). Steps: "
                        + events.stream().map(e -> e.what() + " " + e.worker() + "/" + e.phase()).toList());
            }
        }
    }

    /**
     * Worker 0's step: it goes on once the other workers have finished this phase and wait, or
     * as soon as one of them has begun the next phase (running ahead), at most 2 s.
     */
    private void waitUntilOthersWaitOrRunAhead(int workers, int phase) {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < deadline) {
            boolean ranAhead = events.stream().anyMatch(e -> e.what().equals("begin") && e.phase() > phase);
            List<Event> othersDone = events.stream()
                    .filter(e -> e.what().equals("end") && e.phase() == phase && e.worker() != 0).toList();
            if (ranAhead || othersDone.size() == workers - 1
                    && othersDone.stream().allMatch(e -> Blocking.isWaiting(e.thread()))) {
                return;
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    private int firstIndex(java.util.function.Predicate<Event> which) {
        for (int i = 0; i < events.size(); i++) {
            if (which.test(events.get(i))) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private int lastIndex(java.util.function.Predicate<Event> which) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (which.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("a step that throws: nobody begins a later phase, nobody waits for ever, run reports it with its cause")
    void failingStepStopsEveryone() throws Exception {
        IllegalStateException bad = new IllegalStateException("worker 1 failed in phase 1");
        Throwable thrown = Arguments.thrownBy(() -> runWithin(3, 4, (worker, phase) -> {
            log("step", worker, phase);
            if (worker == 1 && phase == 1) {
                throw bad;
            }
        }));
        assertThat(thrown).as("what run threw when worker 1's step threw in phase 1: a CompletionException whose"
                + " cause is what the step threw").isInstanceOf(CompletionException.class).cause().isSameAs(bad);
        assertThat(events).as("steps after worker 1 failed in phase 1: no worker may begin phase 2")
                .noneMatch(e -> e.phase() > 1);
        assertThat(events).as("steps of phase 0 and 1: every worker ran both before the failure was seen")
                .hasSize(6);
        assertThat(events).as("worker threads alive after run returned").noneMatch(e -> e.thread().isAlive());
    }

    /** How often the failure right after a barrier is played. */
    private static final int ROUNDS = 3;

    @Test
    @Order(4)
    @Points(2)
    @DisplayName("a step that throws right after a barrier, before the others have woken: they still run that phase, and all stop after it")
    void failureAfterABarrierStopsOnlyTheNextPhases() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            events.clear();
            IllegalStateException bad = new IllegalStateException("worker 1 failed at the start of phase 1");
            // Worker 1 arrives last at the first barrier, so it trips it and goes on at once; it fails
            // at the start of phase 1, before the others, woken by the barrier, have begun it.
            Throwable thrown = Arguments.thrownBy(() -> Blocking.within(BOUND, () -> "run(3, 3, step) did not return"
                    + " within " + BOUND.toSeconds() + " s after worker 1 threw at the start of phase 1; steps run: "
                    + events.stream().map(e -> e.what() + " " + e.worker() + "/" + e.phase()).toList() + ". A worker"
                    + " that skips phase 1 because of a failure in phase 1 leaves the others waiting at the barrier"
                    + " after it: decide whether to go on from the phase every worker has just finished (the"
                    + " barrier's action decides, once all have arrived), not from a failure read after the barrier", () -> {
                        PhasedWorkers.run(3, 3, (worker, phase) -> {
                            log("step", worker, phase);
                            if (worker == 1 && phase == 0) {
                                waitUntilParked(0, 2);
                            }
                            if (worker == 1 && phase == 1) {
                                throw bad;
                            }
                        });
                        return null;
                    }));
            List<Event> phaseOne = events.stream().filter(e -> e.phase() == 1).toList();
            assertThat(phaseOne).as("round %d: workers that ran phase 1, in which worker 1 failed first: all three"
                    + " (a failure stops the phases after it, not the one it happened in: decide from the phase every"
                    + " worker has just finished, in the barrier's action, not from a failure read after the"
                    + " barrier)", round).extracting(Event::worker).containsExactlyInAnyOrder(0, 1, 2);
            assertThat(events).as("round %d: steps of phase 2, after worker 1 failed in phase 1", round)
                    .noneMatch(e -> e.phase() == 2);
            assertThat(thrown).as("what run threw").isInstanceOf(CompletionException.class).cause().isSameAs(bad);
        }
    }

    /** Worker 1's first step: it returns once workers {@code a} and {@code b} are done with phase 0 and parked, at most 2 s. */
    private void waitUntilParked(int a, int b) {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < deadline) {
            List<Event> others = events.stream().filter(e -> e.phase() == 0 && (e.worker() == a || e.worker() == b)).toList();
            if (others.size() == 2 && others.stream().allMatch(e -> Blocking.isWaiting(e.thread()))) {
                return;
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    @Order(5)
    @Points(1)
    @DisplayName("bad arguments are refused, naming the argument")
    void badArgumentsAreRefused() {
        Step nothing = (worker, phase) -> { };
        Arguments.assertRefused("run(0, 2, step)", IllegalArgumentException.class, "workers",
                () -> PhasedWorkers.run(0, 2, nothing));
        Arguments.assertRefused("run(2, -1, step)", IllegalArgumentException.class, "phases",
                () -> PhasedWorkers.run(2, -1, nothing));
        Arguments.assertRefused("run(2, 2, null)", NullPointerException.class, "step",
                () -> PhasedWorkers.run(2, 2, null));
    }
}
