package ch07_processes;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A small program to run as a command, our stand-in for the sources' {@code ping}: it works
 * offline and on any operating system. {@code SleepAndPrint <millis> <outLines> <errLines> <exit>}
 * sleeps, then writes {@code outLines} lines to standard output and {@code errLines} lines to
 * standard error (each {@link #LINE_LENGTH} characters with its newline, see {@link #line}), then
 * exits with status {@code exit}. {@code SleepAndPrint <millis> <outLines> <errLines> <exit> <thenMillis>}
 * sleeps another {@code thenMillis} after printing, before it exits: a command that has printed
 * something by the time it runs past a timeout. Started with {@code -D}{@value #PRINTED}{@code =<file>},
 * it writes its process id and the time it had printed everything (in
 * milliseconds since the epoch) into that file: the tests use it to tell code that drops output from a machine too
 * busy to start a JVM before the timeout.
 */
public final class SleepAndPrint {

    /** The length of every line it prints, its newline included. */
    public static final int LINE_LENGTH = 64;

    /** The system property naming the file it reports its printing in (see above). */
    public static final String PRINTED = "sleepandprint.printed";

    private SleepAndPrint() {
    }

    /** The command line that runs it, with the class path of this JVM. */
    public static List<String> command(long millis, int outLines, int errLines, int exitCode) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), SleepAndPrint.class.getName(),
                Long.toString(millis), Integer.toString(outLines), Integer.toString(errLines),
                Integer.toString(exitCode));
    }

    /** The command line of one that sleeps {@code thenMillis} more after printing, before it exits. */
    public static List<String> command(long millis, int outLines, int errLines, int exitCode, long thenMillis) {
        List<String> command = new ArrayList<>(command(millis, outLines, errLines, exitCode));
        command.add(Long.toString(thenMillis));
        return List.copyOf(command);
    }

    /** Line {@code i} (from 0) of the stream named {@code stream} ("out" or "err"), with its newline. */
    public static String line(String stream, int i) {
        String start = stream + " line " + i + " ";
        return start + ".".repeat(LINE_LENGTH - 1 - start.length()) + "\n";
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        long millis = Long.parseLong(args[0]);
        int outLines = Integer.parseInt(args[1]);
        int errLines = Integer.parseInt(args[2]);
        int exitCode = Integer.parseInt(args[3]);
        Thread.sleep(millis);
        write(new FileOutputStream(FileDescriptor.out), "out", outLines);
        write(new FileOutputStream(FileDescriptor.err), "err", errLines);
        String printed = System.getProperty(PRINTED);
        if (printed != null) {
            Path report = Path.of(printed);
            Path written = Path.of(printed + ".part"); // moved into place whole: a reader never sees half of it
            Files.writeString(written, ProcessHandle.current().pid() + " " + System.currentTimeMillis());
            Files.move(written, report, StandardCopyOption.ATOMIC_MOVE);
        }
        if (args.length > 4) {
            Thread.sleep(Long.parseLong(args[4]));
        }
        System.exit(exitCode);
    }

    private static void write(FileOutputStream stream, String name, int lines) throws IOException {
        Writer out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.US_ASCII), 1 << 16);
        for (int i = 0; i < lines; i++) {
            out.write(line(name, i));
        }
        out.flush(); // all of standard output is written before standard error starts
    }
}
