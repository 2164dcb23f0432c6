package ch09_sync;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The buffer's stress tests, run by jcstress millions of times each from the graded test
 * ({@code kit.Jcstress}). Two actors use one small buffer at the same moment; the arbiter looks
 * at what is left once both are done. An item lost or taken twice shows up as an outcome no
 * correct buffer can give. No actor ever has to wait: every take() finds an item, every put()
 * finds room, so a broken buffer cannot hang the run.
 */
public final class BufferStress {

    /** Marks "the arbiter took nothing" (the buffer said it was empty). */
    static final int NOTHING = -1;
    /** Marks "take() returned null": the buffer lost track of its items. */
    static final int NULL = -2;

    private BufferStress() {
    }

    static int value(Integer item) {
        return item == null ? NULL : item;
    }

    /** The first item, or {@link #NOTHING} if the buffer says it is empty. */
    static int takeIfAny(BoundedBuffer<Integer> buffer) {
        if (buffer.size() == 0) {
            return NOTHING;
        }
        try {
            return value(buffer.take());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static void put(BoundedBuffer<Integer> buffer, int item) {
        try {
            buffer.put(item);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static int take(BoundedBuffer<Integer> buffer) {
        try {
            return value(buffer.take());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /*
     * A buffer of 2 holds item 1. One actor puts 2 while the other takes. The taker must get 1
     * (first in, first out), and afterwards the buffer must hold exactly item 2. A run of the
     * solution on the kit's 2-CPU machine (JDK 25, 200 ms) printed:
     *
     *   RESULT  SAMPLES     FREQ      EXPECT  DESCRIPTION
     *  1, 1, 2  458,771  100.00%  Acceptable  The taker got 1; 2 is left, alone.
     *
     * Fewer samples than the ring without a lock gets in the same time: the lock costs time.
     */
    @JCStressTest
    @Description("put and take at once: is anything lost, duplicated or out of order?")
    @Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "The taker got 1; 2 is left, alone.")
    @Outcome(expect = FORBIDDEN, desc = "An item was lost, taken twice or out of order, or the size is wrong.")
    @State
    public static class PutAndTake {
        final BoundedBuffer<Integer> buffer = new BoundedBuffer<>(2);

        public PutAndTake() {
            put(buffer, 1);
        }

        @Actor
        public void producer() {
            put(buffer, 2);
        }

        @Actor
        public void consumer(III_Result r) {
            r.r1 = take(buffer);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r2 = buffer.size();
            r.r3 = takeIfAny(buffer);
        }
    }

    /** The ring without a lock: what a buffer is before it is made thread-safe. */
    static final class UnlockedRing {
        final int[] items = new int[2];
        int count;

        void put(int item) {
            items[count] = item; // two puts at once can both write slot 0
            count++;
        }
    }

    /*
     * The control and the demonstration: two puts on a ring without a lock. A run on the kit's
     * 2-CPU machine (JDK 25, 427 ms at load 6) printed:
     *
     *   RESULT    SAMPLES     FREQ       EXPECT  DESCRIPTION
     *  1, 1, 0    159,852    5.35%  Interesting  The puts overlapped: an item was overwritten...
     *  1, 2, 0    165,688    5.55%  Interesting  The puts overlapped: an item was overwritten...
     *  2, 1, 2  1,382,478   46.27%   Acceptable  Both items are there: the puts did not overlap.
     *  2, 2, 1  1,280,033   42.84%   Acceptable  Both items are there: the puts did not overlap.
     *
     * In one sample of nine both puts read a count of 0, wrote slot 0 and left the count at 1:
     * one item was gone. (Outcomes declared but never seen are left out of the table.)
     */
    @JCStressTest
    @Description("two puts at once on a ring without a lock: are both items kept?")
    @Outcome(id = {"2, 1, 2", "2, 2, 1"}, expect = ACCEPTABLE, desc = "Both items are there: the puts did not overlap.")
    @Outcome(id = {"1, 1, 0", "1, 2, 0", "2, 1, 0", "2, 2, 0", "1, 0, 0"}, expect = ACCEPTABLE_INTERESTING,
            desc = "The puts overlapped: an item was overwritten or the count lost an increment.")
    @Outcome(expect = ACCEPTABLE_INTERESTING, desc = "The puts overlapped in some other way.")
    @State
    public static class UnlockedTwoPuts {
        final UnlockedRing ring = new UnlockedRing();

        @Actor
        public void producer1() {
            ring.put(1);
        }

        @Actor
        public void producer2() {
            ring.put(2);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r1 = ring.count;
            r.r2 = ring.items[0];
            r.r3 = ring.items[1];
        }
    }
}
