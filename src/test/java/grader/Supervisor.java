package grader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One graded run: starts a JVM that runs the tests ({@link Child}) and, whatever that JVM
 * does, ends with an outcome for every test. If it exits in the middle of a test (System.exit,
 * out of memory, a crash) or stops making progress, the test it was in fails with what happened
 * and a fresh JVM runs the tests still to run.
 */
public final class Supervisor {

    /** Longer than any test's own timeout: past this with no word in the journal, the JVM is killed. */
    static final long SILENCE_LIMIT_SECONDS = 300;

    private final String classpath;
    private final Path testClasses;
    private final Path workDir;
    private final List<String> selection;
    private final boolean quiet;

    /**
     * @param classpath the test JVM's class path (implementations first)
     * @param workDir where the journal and the test JVM's log go; emptied first
     * @param selection extra options for {@link Child}: --chapter, --exercise, --fail-fast
     * @param quiet send the test JVM's output to a log file instead of this console
     */
    public Supervisor(String classpath, Path testClasses, Path workDir, List<String> selection, boolean quiet) {
        this.classpath = classpath;
        this.testClasses = testClasses;
        this.workDir = workDir;
        this.selection = List.copyOf(selection);
        this.quiet = quiet;
    }

    public Journal.State run() throws InterruptedException {
        Journal journal = new Journal(workDir.resolve("journal.jsonl"));
        try {
            Files.createDirectories(workDir);
            Files.deleteIfExists(journal.file());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        while (true) {
            int before = journal.read().outcomes().size();
            int code = runOnce(journal);
            Journal.State state = journal.read();
            if (state.done() || (code == 0 && state.running() == null)) {
                return state;
            }
            if (state.running() != null) {
                String why = code == Integer.MIN_VALUE
                        ? "no progress for " + SILENCE_LIMIT_SECONDS + " s: the test hung past its own timeout (threads that ignore interrupts?)"
                        : "the test JVM died during this test (exit code " + code + "): System.exit, Runtime.halt or a crash?";
                journal.finished(new Outcome(state.running(), Outcome.Status.FAILED, why, 0));
            } else if (state.outcomes().size() == before) {
                // It died before finishing any test: starting again would do the same.
                throw new IllegalStateException("the test JVM exited with code " + code + " before finishing a test; see "
                        + (quiet ? workDir.resolve("tests.log") : "the output above"));
            }
            // Otherwise a test asked for a fresh JVM, or the shutdown hook recorded a System.exit: go on.
        }
    }

    /** Runs one test JVM to its end; Integer.MIN_VALUE if it had to be killed for silence. */
    private int runOnce(Journal journal) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8",
                "-cp", classpath,
                Child.class.getName(),
                "--journal=" + journal.file(),
                "--test-classes=" + testClasses));
        command.addAll(selection);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (quiet) {
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("tests.log").toFile()));
        } else {
            builder.inheritIO();
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test JVM", e);
        }
        try {
            long lastChange = System.nanoTime();
            long lastSize = -1;
            while (!process.waitFor(1, TimeUnit.SECONDS)) {
                long size = size(journal.file());
                if (size != lastSize) {
                    lastSize = size;
                    lastChange = System.nanoTime();
                } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(SILENCE_LIMIT_SECONDS)) {
                    return Integer.MIN_VALUE;
                }
            }
            return process.exitValue();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
