package kit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Interrupts a call while it waits, as a caller's thread is interrupted when nobody wants its
 * result any more, and checks what the exercises promise then: the call stops waiting at once,
 * throws a {@link CancellationException} (an unchecked InterruptedException, as
 * {@code CompletableFuture.join()} would report it), and leaves the interrupt flag set so that its
 * own caller still sees the interrupt.
 */
public final class Interrupting {

    private Interrupting() {
    }

    /** How a call ended on the thread that was interrupted. */
    private record Ended(Throwable thrown, boolean flagKept) {
    }

    /**
     * Runs {@code code} on a thread of its own; once {@code waiting} holds (the call is waiting for
     * its work), interrupts that thread and checks that the call ends within {@code bound} with a
     * CancellationException and its interrupt flag still set. A stub's TODO is rethrown as it is.
     *
     * @param call the call in words, e.g. {@code "map(...)"}
     */
    public static void assertStopsWhenInterrupted(String call, Duration bound, BooleanSupplier waiting, Callable<?> code)
            throws InterruptedException {
        CompletableFuture<Ended> ended = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            Throwable thrown = null;
            try {
                code.call();
            } catch (Throwable t) {
                thrown = t;
            }
            ended.complete(new Ended(thrown, Thread.currentThread().isInterrupted()));
        }); // a default name: code under test cannot tell the test's threads from any other
        caller.setDaemon(true); // a call that never returns must not keep the JVM alive
        caller.start();
        try {
            await().atMost(bound).until(() -> ended.isDone() || waiting.getAsBoolean());
        } catch (ConditionTimeoutException neverWaited) {
            caller.interrupt();
            KitExtension.requestFreshJvm("a call never started its work");
            throw new AssertionError(call + " did not start its work within " + bound.toMillis() + " ms");
        }
        if (ended.isDone()) {
            Ended early = ended.join();
            if (early.thrown() != null) {
                Arguments.unlessTodo(early.thrown());
            }
            throw new AssertionError(call + " returned (" + (early.thrown() == null ? "normally" : "with " + early.thrown())
                    + ") before its work was done, so there was nothing to interrupt", early.thrown());
        }
        long start = System.nanoTime();
        caller.interrupt();
        Ended end;
        try {
            end = ended.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException stillWaiting) {
            caller.interrupt();
            KitExtension.requestFreshJvm("an interrupted call did not return");
            throw new AssertionError(call + " was still waiting " + bound.toMillis() + " ms after its caller was"
                    + " interrupted: when a wait throws InterruptedException, stop waiting; do not catch it and wait"
                    + " again\n" + ThreadReport.describe(java.util.Set.of(caller)));
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible);
        }
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        Throwable thrown = end.thrown() == null ? null : Arguments.unlessTodo(end.thrown());
        if (thrown == null) {
            throw new AssertionError(call + " returned normally " + took + " ms after its caller was interrupted: an"
                    + " interrupted wait must end the call with a CancellationException, not a result");
        }
        if (!(thrown instanceof CancellationException)) {
            throw new AssertionError(call + " threw " + thrown + " when its caller was interrupted: catch the"
                    + " InterruptedException and throw a CancellationException instead", thrown);
        }
        if (!end.flagKept()) {
            throw new AssertionError(call + " threw a CancellationException but cleared its caller's interrupt flag:"
                    + " catching InterruptedException clears it, so set it again with"
                    + " Thread.currentThread().interrupt() before throwing", thrown);
        }
    }
}
