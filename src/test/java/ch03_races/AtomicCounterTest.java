package ch03_races;

import kit.Jcstress;
import kit.NeedsCpus;
import kit.Timed;
import kit.Exercise;
import kit.Points;
import kit.ModelCheck;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Exercise(8)
class AtomicCounterTest {

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("counts every increment made by 8 threads at once")
    void countsEveryIncrementFromEightThreads() throws InterruptedException {
        CounterChecks.assertExactUnderContention(AtomicCounter::new,
                "is the increment one atomic step (incrementAndGet), not a get() followed by a set()?");
    }

    @Test
    @Order(2)
    @Points(2)
    @Timeout(240)
    @NeedsCpus(2)
    @Timed
    @DisplayName("two threads incrementing at once never lose an update (jcstress)")
    void neverLosesAnUpdate() throws InterruptedException {
        Jcstress.run(AtomicCounterStress.AtomicLostUpdate.class).assertNothingForbidden(
                "An update was lost: the increment is a read and a separate write. volatile makes writes"
                        + " visible but does not make value++ atomic; use AtomicLong.incrementAndGet().");
        // jcstress runs the code in JVMs of its own, which code could recognise: the points need the same here.
        CounterChecks.assertExactUnderContention(AtomicCounter::new, CounterChecks.ONLY_UNDER_JCSTRESS);
    }

    @Test
    @Order(3)
    @Points(2)
    @Timeout(240)
    @DisplayName("no interleaving of two threads' increments loses an update (model checking, on any number of CPUs)")
    void modelCheckedIncrements() {
        ModelCheck.check(RaceModels.AtomicIncrements.class).assertPassed(
                "An update was lost: is the increment one atomic step (incrementAndGet), not a get() followed by a set()?"
                        + " volatile makes writes visible but does not make value++ atomic.");
    }
}
