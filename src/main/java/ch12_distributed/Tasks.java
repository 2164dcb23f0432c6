package ch12_distributed;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The tasks a worker can run, by name: what Celery calls its task registry (the functions marked
 * {@code @app.task}). The client and the workers both know it: the client refuses a task no worker
 * can run, and a worker looks up what to run. Stateless, so safe from any thread.
 *
 * <ul>
 *   <li>{@code square(x)}: x * x, the sources' Celery task</li>
 *   <li>{@code add(x, y)}: x + y</li>
 *   <li>{@code divide(x, y)}: x / y, rounded towards zero; fails with {@link ArithmeticException}
 *       ("/ by zero") when y is 0</li>
 *   <li>{@code slowSquare(x, millis)}: x * x after sleeping {@code millis} ms (0 to 60,000), a
 *       stand-in for real work that takes time</li>
 * </ul>
 */
public final class Tasks {

    /** Each task's name and how many arguments it takes, in the order the list above gives them. */
    private static final Map<String, Integer> ARITY = Map.of("square", 1, "add", 2, "divide", 2, "slowSquare", 2);
    private static final List<String> NAMES = List.of("square", "add", "divide", "slowSquare");
    private static final long MAX_MILLIS = 60_000;

    private static volatile Consumer<Task> onStart = task -> { };

    private Tasks() {
    }

    /** The names of the tasks, as the list above gives them. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * Checks that a task of this name exists and takes this many arguments.
     *
     * @throws IllegalArgumentException naming the task if it does not exist, or if it takes another
     *     number of arguments
     * @throws NullPointerException if {@code name} is null
     */
    public static void check(String name, int argCount) {
        Objects.requireNonNull(name, "name");
        Integer arity = ARITY.get(name);
        if (arity == null) {
            throw new IllegalArgumentException("unknown task '" + name + "': the tasks are " + String.join(", ", NAMES));
        }
        if (arity != argCount) {
            throw new IllegalArgumentException("task '" + name + "' takes " + arity + (arity == 1 ? " argument" : " arguments")
                    + ", got " + argCount);
        }
    }

    /**
     * Runs a task here, on the calling thread, and gives its value.
     *
     * @throws IllegalArgumentException if there is no such task, or it was given the wrong number of
     *     arguments, or {@code slowSquare} was asked to sleep less than 0 or more than 60,000 ms
     * @throws ArithmeticException from {@code divide} by 0
     * @throws InterruptedException if the thread is interrupted while {@code slowSquare} sleeps
     */
    public static long run(Task task) throws InterruptedException {
        Objects.requireNonNull(task, "task");
        onStart.accept(task);
        check(task.name(), task.args().size());
        List<Long> a = task.args();
        if (task.name().equals("slowSquare") && (a.get(1) < 0 || a.get(1) > MAX_MILLIS)) {
            throw new IllegalArgumentException("slowSquare sleeps 0 to " + MAX_MILLIS + " ms, was asked " + a.get(1));
        }
        return switch (task.name()) {
            case "square" -> a.get(0) * a.get(0);
            case "add" -> a.get(0) + a.get(1);
            case "divide" -> a.get(0) / a.get(1);
            case "slowSquare" -> {
                Thread.sleep(a.get(1));
                yield a.get(0) * a.get(0);
            }
            default -> throw new AssertionError(task.name()); // check() knows every name
        };
    }

    /**
     * Calls {@code listener} with each task given to {@link #run} in this process, as the run begins
     * (before the task is checked). The tests' worker
     * processes use it to report which task runs where and when; your code has no need of it.
     */
    public static void onStart(Consumer<Task> listener) {
        onStart = Objects.requireNonNull(listener, "listener");
    }
}
