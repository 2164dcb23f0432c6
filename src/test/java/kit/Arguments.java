package kit;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Checks that bad input is refused with a clear exception naming the argument, with a message
 * that says which call, which argument and what was expected. A stub's
 * {@code UnsupportedOperationException("TODO ...")} is let through as it is, so that an exercise
 * not started yet reads "not done yet" rather than a broken expectation.
 */
public final class Arguments {

    private Arguments() {
    }

    /**
     * Fails unless {@code call} throws a {@code type} whose message contains {@code argument}.
     *
     * @param call what is called, in words, e.g. {@code "readWhileComputing(null)"}
     */
    public static void assertRefused(String call, Class<? extends Throwable> type, String argument, ThrowingCallable code) {
        Throwable thrown = thrownBy(code);
        String expected = call + " must be refused with " + article(type) + " naming '" + argument + "'";
        if (thrown == null) {
            throw new AssertionError(expected + ", but it returned normally");
        }
        if (!type.isInstance(thrown)) {
            throw new AssertionError(expected + ", but it threw " + thrown, thrown);
        }
        if (thrown.getMessage() == null || !thrown.getMessage().contains(argument)) {
            throw new AssertionError(expected + ", but its message was " + (thrown.getMessage() == null ? "empty"
                    : "\"" + thrown.getMessage() + "\""), thrown);
        }
    }

    /**
     * What {@code code} threw, or null. A stub's TODO, and a failure of the test's own (an
     * AssertionError, such as a bound that ran out), are rethrown instead.
     */
    public static Throwable thrownBy(ThrowingCallable code) {
        try {
            code.call();
            return null;
        } catch (AssertionError failure) {
            throw failure;
        } catch (Throwable thrown) {
            return unlessTodo(thrown);
        }
    }

    /** {@code thrown} itself, unless it is a stub's TODO (or caused by one), which is rethrown. */
    public static Throwable unlessTodo(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof UnsupportedOperationException todo && String.valueOf(todo.getMessage()).startsWith("TODO")) {
                throw todo;
            }
        }
        return thrown;
    }

    private static String article(Class<?> type) {
        String name = type.getSimpleName();
        return ("AEIOU".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }
}
