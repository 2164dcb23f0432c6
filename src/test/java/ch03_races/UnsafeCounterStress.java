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
 * The race made visible, and the control of the chapter's jcstress batch: the stress tests of a
 * chapter run together ({@code kit.Jcstress}), and if this one saw no lost update, the machine was
 * too busy for "nothing forbidden" in the others to mean anything. The table below is what a run
 * on the kit's 2-CPU machine printed (JDK 25, 200 ms).
 */
public final class UnsafeCounterStress {

    private UnsafeCounterStress() {
    }

    /*
     * Is value++ atomic? Two actors increment an UnsafeCounter once each; the arbiter reads it
     * after both are done.
     *
     *   RESULT    SAMPLES     FREQ       EXPECT  DESCRIPTION
     *        1    747,278   23.40%  Interesting  Both actors read the same value and wrote back that value...
     *        2  2,445,573   76.60%   Acceptable  Both increments were counted.
     *
     * One sample in four lost an update: the race is not rare, it is the normal case.
     */
    @JCStressTest
    @Description("Is value++ on a plain field atomic? (UnsafeCounter, no lock)")
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "Both increments were counted.")
    @Outcome(id = "1", expect = ACCEPTABLE_INTERESTING,
            desc = "Both actors read the same value and wrote back that value plus one: an update was lost.")
    @State
    public static class UnsafeLostUpdate {
        final UnsafeCounter counter = new UnsafeCounter();

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
