package ch07_processes;

import java.time.Duration;
import java.util.List;

/**
 * Exercise 20: run several programs at once, like the sources' five pings, and collect what each
 * printed. See README.md in this folder.
 */
public class ConcurrentCommands {

    /**
     * Runs every command at the same time: all are started before any is waited for. What each
     * writes to standard output and standard error is read while it runs (a pipe holds only a few
     * kilobytes: a command whose output nobody reads stops until somebody does).
     *
     * <p>A command still running {@code timeout} after its start is destroyed and reported as timed
     * out, with what it printed until then; the others are not disturbed. Every process has ended
     * when this method returns, and every thread it started too.
     *
     * @param commands each a program and its arguments, as for {@link ProcessBuilder}
     * @return one result per command, in the order of {@code commands}
     * @throws NullPointerException if {@code commands}, one of them or {@code timeout} is null
     * @throws IllegalArgumentException if a command is empty or {@code timeout} is not positive
     * @throws java.io.UncheckedIOException if a command cannot be started (no such program): the
     *     commands already started are destroyed first
     */
    public static List<CommandResult> runAll(List<List<String>> commands, Duration timeout) {
        throw new UnsupportedOperationException("TODO: start every process first, read each one's output on a thread of its own, then wait for each until its deadline");
    }
}
