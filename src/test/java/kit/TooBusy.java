package kit;

import org.opentest4j.TestAbortedException;

/**
 * Thrown by a {@link Timed} check when even the kit's own reference, measured in the same rounds,
 * could not show what the check needs: other programs kept the CPUs busy. The grader reports the
 * test <em>not graded: the machine was too busy</em>, and its points go to the exercise's other
 * tests, but only after checking for itself that programs other than the test JVM used the CPUs
 * meanwhile; otherwise it is a failure.
 */
public final class TooBusy extends TestAbortedException {

    private static final long serialVersionUID = 1L;

    public TooBusy(String what) {
        super("not graded: the machine was too busy: " + what);
    }
}
