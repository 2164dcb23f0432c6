package ch03_races;

import kit.Jcstress;
import kit.KitExtension;
import kit.NeedsCpus;
import kit.Timed;
import kit.Demonstration;
import kit.Exercise;
import kit.Points;
import kit.ModelCheck;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Exercise(7)
class LockedCounterTest {

    @Test
    @Order(1)
    @Points(1)
    @DisplayName("counts every increment made by 8 threads at once")
    void countsEveryIncrementFromEightThreads() throws InterruptedException {
        CounterChecks.assertExactUnderContention(LockedCounter::new,
                "is value++ done while holding the lock, and is it the same lock for every call?");
    }

    @Test
    @Order(3)
    @Points(2)
    @Timeout(240)
    @NeedsCpus(2)
    @Timed
    @DisplayName("two threads incrementing at once never lose an update (jcstress)")
    void neverLosesAnUpdate() throws InterruptedException {
        Jcstress.run(LockedCounterStress.LockedLostUpdate.class).assertNothingForbidden(
                "An update was lost: increment() is not one indivisible step. Hold one lock, the same"
                        + " object for every call, around value++.");
        // jcstress runs the code in JVMs of its own, which code could recognise: the points need the same here.
        CounterChecks.assertExactUnderContention(LockedCounter::new, CounterChecks.ONLY_UNDER_JCSTRESS);
    }

    @Test
    @Order(2)
    @Points(1)
    @DisplayName("a thread spinning on get() sees another thread's increment")
    void readerSeesTheIncrement() {
        CounterChecks.assertSpinningReaderSeesIncrement(LockedCounter::new,
                "get() reads value without the lock, so nothing makes the other thread's write visible to it."
                        + " Read under the same lock.");
    }

    @Test
    @Order(4)
    @Demonstration
    @Timeout(240)
    @NeedsCpus(2)
    @Timed
    @DisplayName("the unsynchronised counter loses updates (jcstress, the race made visible)")
    void unsafeCounterLosesUpdates() {
        Jcstress.Outcomes outcomes = Jcstress.run(UnsafeCounterStress.UnsafeLostUpdate.class);
        outcomes.assertSeen("1", "jcstress did not catch UnsafeCounter losing an update this time.");
        KitExtension.show(outcomes.inWords());
    }

    @Test
    @Order(5)
    @Points(2)
    @Timeout(240)
    @DisplayName("no interleaving of two threads' increments loses an update (model checking, on any number of CPUs)")
    void modelCheckedIncrements() {
        ModelCheck.check(RaceModels.LockedIncrements.class).assertPassed(
                "An update was lost: is value++ done while holding the lock, and is it the same lock for every call?");
    }
}
