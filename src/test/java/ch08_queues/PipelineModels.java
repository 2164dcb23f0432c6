package ch08_queues;

import static kit.Measure.inParallel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import kit.ModelCheck;

/**
 * Pipeline's put racing its shutdown as a scenario for model checking ({@link kit.ModelCheck}):
 * however the steps of the threads interleave, an item whose put returned reaches the last stage,
 * and every thread finishes. The pipeline is kept in the scenario's field, where the checker sees
 * it shared.
 */
public final class PipelineModels {

    private PipelineModels() {
    }

    /**
     * One producer puts three items while another thread shuts the pipeline down: each put may
     * come first (its item must come out) or be refused, but a put that got past the shut-down
     * check just before the pill went in must not queue its item behind the pill. Stages on virtual
     * threads are a right style the checker cannot follow: they run on real threads instead.
     */
    public static final class PutRacesShutdown implements ModelCheck.MayStartVirtualThreads {

        private Pipeline<Integer, Integer, Integer> pipeline;
        private List<Integer> reached;

        @Override
        public void run() {
            reached = Collections.synchronizedList(new ArrayList<>());
            pipeline = new Pipeline<>(1, a -> a, b -> b, reached::add);
            List<Integer> accepted = Collections.synchronizedList(new ArrayList<>());
            inParallel(() -> {
                try {
                    for (int item = 1; item <= 3; item++) {
                        pipeline.put(item);
                        accepted.add(item);
                    }
                } catch (IllegalStateException refused) {
                    // shutdown came first: refusing the item, and the later ones, is right
                }
            }, pipeline::shutdown);
            if (!reached.equals(accepted)) {
                throw new AssertionError("put() returned for " + accepted + " while shutdown() ran, and the last stage"
                        + " received " + reached + ": a put got past the shut-down check, then shutdown sent the pill, then"
                        + " the item went into the first queue behind the pill, where no stage takes it. A put that passed"
                        + " the check must queue its item before the pill goes in (shutdown waits for the puts under way,"
                        + " or the check and the put share a lock that shutdown takes)");
            }
        }
    }
}
