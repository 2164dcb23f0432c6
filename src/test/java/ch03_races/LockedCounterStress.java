package ch03_races;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.J_Result;

/**
 * LockedCounter's stress test, run by jcstress millions of times from the graded tests
 * ({@code kit.Jcstress}) together with the chapter's other stress tests.
 */
public final class LockedCounterStress {

    private LockedCounterStress() {
    }

    /*
     * The same question asked of LockedCounter: with the lock, "1" must never happen.
     *
     *   RESULT  SAMPLES     FREQ      EXPECT  DESCRIPTION
     *        2  663,571  100.00%  Acceptable  Both increments were counted.
     *
     * Fewer samples than above in the same 200 ms: taking a lock costs time.
     */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "Both increments were counted.")
    @Outcome(id = "1", expect = FORBIDDEN,
            desc = "Both actors read the same value and wrote back that value plus one: an update was lost.")
    @State
    @Description("Does LockedCounter ever lose an update?")
    public static class LockedLostUpdate {
        final LockedCounter counter = new LockedCounter();

        @Actor
        public void actor1() {
            counter.increment();
        }

        @Actor
        public void actor2() {
            counter.increment();
        }

        @Arbiter
        public void arbiter(J_Result r) {
            r.r1 = counter.get();
        }
    }
}
