package ch07_processes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import kit.Arguments;
import kit.Eventually;
import kit.Exercise;
import kit.Measure;
import kit.Points;
import kit.Threads;
import kit.Timed;
import kit.TooBusy;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Exercise(20)
class ConcurrentCommandsTest {

    /** Far more than the solution needs to start a few JVMs on a busy machine. */
    private static final Duration PATIENT = Duration.ofSeconds(8);
    private static final Duration GONE = Duration.ofSeconds(1);
    /** More than the moments between a command's start, or end, and the test seeing it. */
    private static final Duration SLACK = Duration.ofMillis(500);

    /** Where the commands say when they had printed (SleepAndPrint.PRINTED). */
    @TempDir
    Path reports;

    /** What SleepAndPrint prints with these line counts: standard output first, then standard error. */
    private static String output(int outLines, int errLines) {
        StringBuilder text = new StringBuilder();
        IntStream.range(0, outLines).forEach(i -> text.append(SleepAndPrint.line("out", i)));
        IntStream.range(0, errLines).forEach(i -> text.append(SleepAndPrint.line("err", i)));
        return text.toString();
    }

    /** runAll on a thread of its own, failing if it is not done within {@code bound}. */
    private static List<CommandResult> runAllWithin(Duration bound, List<List<String>> commands, Duration timeout,
            String hang) throws Exception {
        Optional<List<CommandResult>> results = Threads.callWithin(bound, () -> ConcurrentCommands.runAll(commands, timeout));
        return results.orElseThrow(() -> new AssertionError("runAll(" + commands.size() + " commands, timeout "
                + timeout.toMillis() + " ms) was not done after " + bound.toSeconds() + " s: " + hang));
    }

    @Test
    @Order(1)
    @Points(2)
    @DisplayName("each command's exit status, output (standard error too) and duration, in the order given")
    void resultsInInputOrder() throws Exception {
        // The first command ends last: results in the order the commands ended would be reversed, and a
        // duration taken when each result is awaited would give the last command the first one's.
        List<List<String>> commands = List.of(
                SleepAndPrint.command(1_500, 3, 2, 0),
                SleepAndPrint.command(300, 1, 0, 3),
                SleepAndPrint.command(0, 2, 1, 7));
        try (ChildProcesses children = new ChildProcesses()) {
            List<CommandResult> results = runAllWithin(PATIENT.plusSeconds(2), commands, PATIENT,
                    "is each process awaited with waitFor()?");
            assertThat(results).as("results of runAll(3 commands)").hasSize(3);
            int[][] expected = {{3, 2, 0, 1_500}, {1, 0, 3, 300}, {2, 1, 7, 0}};
            for (int i = 0; i < 3; i++) {
                CommandResult result = results.get(i);
                assertThat(result.command()).as("result %d must be command %d's: results in the order of the commands,"
                        + " not in the order they ended", i, i).isEqualTo(commands.get(i));
                assertThat(result.exitCode()).as("exit status of command %d (exitValue() once it has ended)", i)
                        .isEqualTo(expected[i][2]);
                assertThat(result.output()).as("output of command %d, which printed %d lines on standard output and"
                        + " %d on standard error: both belong in the output (redirectErrorStream(true))", i,
                        expected[i][0], expected[i][1]).isEqualTo(output(expected[i][0], expected[i][1]));
                assertThat(result.timedOut()).as("command %d timed out, though it ended long before the timeout", i)
                        .isFalse();
                assertThat(result.duration()).as("duration of command %d, which slept %d ms", i, expected[i][3])
                        .isGreaterThanOrEqualTo(Duration.ofMillis(expected[i][3])).isLessThan(PATIENT);
            }
            assertThat(children.alive()).as("commands still running after runAll returned").isEmpty();
            // The quickest command lived as long as the shortest life the test saw, give or take its start.
            List<ChildProcesses.Child> seen = children.children();
            Duration shortest = seen.stream().map(c -> Duration.ofNanos(c.endedNanos() - c.seenNanos()))
                    .min(Comparator.naturalOrder()).orElseThrow();
            Duration quick = results.get(2).duration();
            assertThat(quick).as("duration of command 2, which printed at once and ended after %d ms, the test saw:"
                    + " %d ms reported, about what command 0, which slept %d ms, took. A duration runs from the"
                    + " command's start to its own end (onExit(), or the moment waitFor() returns for it), not to"
                    + " the moment its result was awaited, after the commands before it", shortest.toMillis(),
                    quick.toMillis(), expected[0][3]).isLessThan(shortest.plus(SLACK));
        }
    }

    @Test
    @Order(2)
    @Points(2)
    @DisplayName("five half-second commands all start before any is awaited: they run at the same time")
    void allStartBeforeAnyIsAwaited() throws Exception {
        List<List<String>> commands = IntStream.range(0, 5).mapToObj(i -> SleepAndPrint.command(500, 1, 0, 0)).toList();
        try (ChildProcesses children = new ChildProcesses()) {
            long start = System.nanoTime();
            List<CommandResult> results = runAllWithin(PATIENT.plusSeconds(4), commands, PATIENT,
                    "are the commands run one after another?");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(results).as("results of runAll(5 commands)").hasSize(5).allMatch(r -> r.exitCode() == 0);
            List<ChildProcesses.Child> seen = children.children();
            assertThat(seen).as("processes started by runAll(5 commands)").hasSize(5).allMatch(ChildProcesses.Child::ended);
            ChildProcesses.Child lastStarted = seen.get(seen.size() - 1);
            ChildProcesses.Child firstEnded = seen.stream().min(Comparator.comparingLong(ChildProcesses.Child::endedNanos))
                    .orElseThrow();
            Measure.log("five commands", String.format("last started at %d ms, first ended at %d ms, all done in %d ms",
                    children.millis(lastStarted.seenNanos()), children.millis(firstEnded.endedNanos()), took.toMillis()));
            assertThat(lastStarted.seenNanos()).as("five commands that each sleep 500 ms: the last one started %d ms"
                    + " after the test began watching, but one had already ended at %d ms. All must start before any"
                    + " is awaited: start every process first, then wait for them (took %d ms in all)",
                    children.millis(lastStarted.seenNanos()), children.millis(firstEnded.endedNanos()), took.toMillis())
                    .isLessThan(firstEnded.endedNanos());
        }
    }

    @Test
    @Order(3)
    @Points(2)
    @DisplayName("a command printing 4 MB finishes at once, though an earlier command sleeps on")
    void megabytesDoNotBlock() throws Exception {
        int lines = 4 * 1024 * 1024 / SleepAndPrint.LINE_LENGTH;
        Path sleeperPrinted = reports.resolve("sleeper");
        Path bigPrinted = reports.resolve("big");
        List<List<String>> commands = List.of(reporting(SleepAndPrint.command(1_800, 1, 0, 0), sleeperPrinted),
                reporting(SleepAndPrint.command(0, lines, 100, 0), bigPrinted));
        Duration timeout = Duration.ofSeconds(6);
        try (ChildProcesses children = new ChildProcesses()) {
            List<CommandResult> results = runAllWithin(PATIENT.plusSeconds(2), commands, timeout,
                    "is a command's output read only after waitFor()?");
            assertThat(results).as("results of runAll(2 commands)").hasSize(2);
            CommandResult big = results.get(1);
            assertThat(big.timedOut()).as("the command printing 4 MB was destroyed as timed out after %d s, with %d"
                    + " bytes read of its output: a pipe holds 64 KiB, and a command whose output nobody"
                    + " reads waits for ever. Read the output while the command runs, not after waitFor()",
                    timeout.toSeconds(), big.output().length()).isFalse();
            assertThat(big.output()).as("output of the command printing %d lines and 100 on standard error", lines)
                    .isEqualTo(output(lines, 100));
            List<ChildProcesses.Child> seen = children.children();
            assertThat(seen).as("processes started by runAll(2 commands)").hasSize(2);
            assertThat(seen).as("processes started by runAll(2 commands)").allMatch(ChildProcesses.Child::ended);
            // Both start at once: the 4 MB command needs a moment, the other sleeps 1.8 s first. Each says
            // when it had written everything: the 4 MB command can finish writing only as fast as it is read.
            long sleeperAt = printedAt(sleeperPrinted);
            long bigAt = printedAt(bigPrinted);
            Measure.log("4 MB", String.format("the 4 MB command had written everything %d ms before the sleeper printed",
                    sleeperAt - bigAt));
            assertThat(bigAt).as("the command printing 4 MB finished writing %d ms after the 1.8 s sleeper printed its"
                    + " line, though both started together: its output waited unread (a pipe holds 64 KiB) until"
                    + " the sleeper's was read. Read every command's output at the same time, each on a thread of"
                    + " its own", bigAt - sleeperAt).isLessThan(sleeperAt);
        }
    }

    @Test
    @Order(4)
    @Points(2)
    @Timed
    @DisplayName("commands over the timeout are destroyed and reported at the timeout, with what they printed; the others finish")
    void timedOutCommandsAreDestroyed() throws Exception {
        Duration timeout = Duration.ofSeconds(2);
        // Commands 0 to 2 print as soon as their JVMs start and say when they had (SleepAndPrint.PRINTED).
        List<Path> printed = IntStream.range(0, 3).mapToObj(i -> reports.resolve("printed-" + i)).toList();
        List<List<String>> commands = List.of(
                reporting(SleepAndPrint.command(100, 2, 0, 0), printed.get(0)),
                reporting(SleepAndPrint.command(0, 1, 0, 0, 60_000), printed.get(1)),
                reporting(SleepAndPrint.command(0, 2, 1, 0, 60_000), printed.get(2)),
                SleepAndPrint.command(60_000, 1, 0, 0));
        try (ChildProcesses children = new ChildProcesses()) {
            long start = System.nanoTime();
            long startMillis = System.currentTimeMillis();
            List<CommandResult> results = runAllWithin(PATIENT, commands, timeout,
                    "are timed-out commands destroyed, and is each command's deadline its start plus the timeout?");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            Measure.log("three timeouts", took.toMillis() + " ms");
            assertThat(results).as("results of runAll(4 commands)").hasSize(4);
            tooBusyToPrint(children, timeout, startMillis, printed);
            for (int i : new int[] {1, 2, 3}) {
                assertThat(results.get(i).timedOut()).as("command %d, which sleeps a minute, with a timeout of %d ms:"
                        + " reported timed out", i, timeout.toMillis()).isTrue();
            }
            assertThat(results.get(0).timedOut()).as("command 0, which ends after 100 ms, reported timed out").isFalse();
            assertThat(results.get(0).output()).as("output of command 0").isEqualTo(output(2, 0));
            assertThat(results.get(0).exitCode()).as("exit status of command 0").isZero();
            // Commands 1 and 2 printed as soon as their JVMs started, as command 0 did: before the timeout.
            int[][] lines = {{}, {1, 0}, {2, 1}, {0, 0}};
            for (int i : new int[] {1, 2, 3}) {
                assertThat(results.get(i).output()).as("output of command %d, which printed %d lines and %d on standard"
                        + " error at once, then slept past the timeout: a command destroyed at its timeout is reported"
                        + " with what it printed until then (its reader reads to the end of its output, which comes"
                        + " when it is destroyed: wait for the reader then)", i, lines[i][0], lines[i][1])
                        .isEqualTo(output(lines[i][0], lines[i][1]));
            }
            assertThat(children.alive()).as("commands still running after runAll returned: a command past its timeout"
                    + " must be destroyed (destroyForcibly()), not only reported").isEmpty();
            assertThat(took).as("time runAll took with three commands over a %d ms timeout: they all run at once, so"
                    + " their deadlines are all about %d ms after the start, not one timeout after another (each"
                    + " deadline is the command's start plus the timeout)", timeout.toMillis(), timeout.toMillis())
                    .isLessThan(timeout.multipliedBy(2));
        }
    }

    /** {@code command} with SleepAndPrint told to report its printing in {@code file}. */
    private static List<String> reporting(List<String> command, Path file) {
        List<String> with = new ArrayList<>(command);
        with.add(1, "-D" + SleepAndPrint.PRINTED + "=" + file);
        return List.copyOf(with);
    }

    /** When the command that reported in {@code file} had printed everything (epoch milliseconds). */
    private static long printedAt(Path file) throws java.io.IOException {
        return Long.parseLong(Files.readString(file).trim().split(" ")[1]);
    }

    /**
     * Not graded where the machine could not start the quick commands' JVMs and let them print well
     * within the timeout: what such a command printed "until then" is nothing, and command 0 rightly
     * times out. A command that did not print is excused only if it lived out the timeout: one
     * destroyed sooner was the code's doing.
     */
    private static void tooBusyToPrint(ChildProcesses children, Duration timeout, long startMillis, List<Path> printed)
            throws java.io.IOException {
        List<Long> printers = new ArrayList<>();
        List<String> late = new ArrayList<>();
        for (int i = 0; i < printed.size(); i++) {
            if (!Files.exists(printed.get(i))) {
                late.add("command " + i + " had printed nothing");
                continue;
            }
            printers.add(Long.parseLong(Files.readString(printed.get(i)).trim().split(" ")[0]));
            long at = printedAt(printed.get(i)) - startMillis;
            if (i == 0 && at > timeout.minus(SLACK).toMillis()) {
                late.add("command 0 printed only " + at + " ms after runAll began");
            }
        }
        boolean livedOut = children.children().stream().filter(c -> !printers.contains(c.pid()))
                .allMatch(c -> c.ended() && Duration.ofNanos(c.endedNanos() - c.seenNanos()).plus(SLACK).compareTo(timeout) >= 0);
        if (!late.isEmpty() && livedOut) {
            throw new TooBusy("the quick commands' JVMs could not start and print within the " + timeout.toMillis()
                    + " ms timeout (" + String.join("; ", late) + ")");
        }
    }

    @Test
    @Order(5)
    @Points(1)
    @DisplayName("bad arguments are refused, naming the argument; a program that cannot start stops the others")
    void badArgumentsAreRefused() throws Exception {
        List<List<String>> one = List.of(SleepAndPrint.command(0, 1, 0, 0));
        Arguments.assertRefused("runAll(null, 1 s)", NullPointerException.class, "commands",
                () -> ConcurrentCommands.runAll(null, Duration.ofSeconds(1)));
        Arguments.assertRefused("runAll(a list holding null, 1 s)", NullPointerException.class, "commands",
                () -> ConcurrentCommands.runAll(Arrays.asList(one.get(0), null), Duration.ofSeconds(1)));
        Arguments.assertRefused("runAll(an empty command, 1 s)", IllegalArgumentException.class, "command",
                () -> ConcurrentCommands.runAll(List.of(List.of()), Duration.ofSeconds(1)));
        Arguments.assertRefused("runAll(commands, null)", NullPointerException.class, "timeout",
                () -> ConcurrentCommands.runAll(one, null));
        Arguments.assertRefused("runAll(commands, 0 s)", IllegalArgumentException.class, "timeout",
                () -> ConcurrentCommands.runAll(one, Duration.ZERO));
        String missing = "/no/such/program-" + UUID.randomUUID();
        List<List<String>> commands = new ArrayList<>(List.of(SleepAndPrint.command(60_000, 1, 0, 0), List.of(missing)));
        try (ChildProcesses children = new ChildProcesses()) {
            Optional<Optional<Throwable>> outcome = Threads.callWithin(Duration.ofSeconds(5), () -> Optional.ofNullable(
                    Arguments.thrownBy(() -> ConcurrentCommands.runAll(commands, Duration.ofSeconds(30)))));
            assertThat(outcome).as("runAll(a sleeper, then a program that does not exist) had not thrown after 5 s:"
                    + " destroy the commands already started before throwing (their output readers wait for"
                    + " them)").isPresent();
            assertThat(outcome.get()).as("runAll(a sleeper, then a program that does not exist) returned normally:"
                    + " a program that cannot start is an UncheckedIOException naming it").isPresent();
            assertThat(outcome.get().get()).as("what runAll(a sleeper, then a program that does not exist) threw: an"
                    + " UncheckedIOException naming the program").isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(missing);
            Eventually.within(GONE, "the command started before the missing program is still running after runAll"
                    + " threw: destroy the commands already started before throwing", () -> assertThat(children.alive()).isEmpty());
        }
    }
}
