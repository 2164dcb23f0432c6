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
 * AtomicCounter's stress test, run by jcstress millions of times from the graded tests
 * ({@code kit.Jcstress}) together with the chapter's other stress tests.
 */
public final class AtomicCounterStress {

    private AtomicCounterStress() {
    }

    /* The lost-update question asked of AtomicCounter. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "Both increments were counted.")
    @Outcome(id = "1", expect = FORBIDDEN,
            desc = "Both actors read the same value and wrote back that value plus one: an update was lost.")
    @State
    @Description("Does AtomicCounter ever lose an update?")
    public static class AtomicLostUpdate {
        final AtomicCounter counter = new AtomicCounter();

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
