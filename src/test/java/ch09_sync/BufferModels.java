package ch09_sync;

import static kit.Measure.inParallel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * BoundedBuffer's hand-offs as scenarios for model checking ({@link kit.ModelCheck}): however the
 * steps of the threads interleave, every item comes out once and every thread finishes. The buffer
 * is kept in the scenario's field, where the checker sees it shared.
 */
public final class BufferModels {

    private BufferModels() {
    }

    /**
     * A buffer of one slot, one producer putting two items and two consumers taking one each: both
     * consumers can be waiting when an item arrives (one woken, the other barging in), and the
     * producer waits for a free slot while a consumer may be woken instead of it.
     */
    public static final class OneProducerTwoConsumers implements Runnable {

        private BoundedBuffer<Integer> buffer;

        @Override
        public void run() {
            buffer = new BoundedBuffer<>(1);
            List<Integer> taken = Collections.synchronizedList(new ArrayList<>());
            inParallel(() -> {
                buffer.put(1);
                buffer.put(2);
            }, () -> taken.add(buffer.take()), () -> taken.add(buffer.take()));
            List<Integer> sorted = new ArrayList<>(taken);
            sorted.sort(null);
            if (taken.contains(null)) {
                throw new AssertionError("two consumers took " + taken + " from a producer that put 1 and 2: a woken"
                        + " consumer went on although another had taken the item first: wait in a while loop, not an if");
            }
            if (!sorted.equals(List.of(1, 2))) {
                throw new AssertionError("two consumers took " + taken + " from a producer that put 1 and 2: an item was"
                        + " lost or taken twice: make every change to the ring while holding the lock");
            }
            if (buffer.size() != 0) {
                throw new AssertionError("size() is " + buffer.size() + " after every item was taken");
            }
        }
    }
}
