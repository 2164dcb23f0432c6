package grader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CPU time this machine spent on programs other than one process tree (a test JVM and all it
 * started), read from {@code /proc} on Linux; elsewhere nothing is known. The grader's own check
 * of a test's "the machine was too busy": code under test can keep the CPUs busy itself, but it
 * cannot make programs outside its own tree busy.
 */
final class MachineLoad {

    /** Linux counts CPU time in clock ticks of 1/100 s (USER_HZ) in both files read here. */
    private static final double TICKS_PER_SECOND = 100;

    /** One reading: when, the machine's busy ticks (steal included) and the tree's. */
    record Reading(long nanos, long machineTicks, long treeTicks) {
    }

    private MachineLoad() {
    }

    static Optional<Reading> read(ProcessHandle root) {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long machine = 0;
            for (int field : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal
                machine += Long.parseLong(cpu[field]);
            }
            long tree = Stream.concat(Stream.of(root), root.descendants()).mapToLong(MachineLoad::ticks).sum();
            return Optional.of(new Reading(System.nanoTime(), machine, tree));
        } catch (IOException | RuntimeException notLinux) {
            return Optional.empty();
        }
    }

    /** The CPUs that programs outside the tree kept busy on average between two readings. */
    static double othersBusy(Reading before, Reading after) {
        double seconds = Math.max(1e-3, (after.nanos() - before.nanos()) / 1e9);
        long others = (after.machineTicks() - before.machineTicks()) - (after.treeTicks() - before.treeTicks());
        return Math.max(0, others) / TICKS_PER_SECOND / seconds;
    }

    /** A process's CPU time and that of the children it has reaped (utime, stime, cutime, cstime). */
    private static long ticks(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // fields from the 3rd on
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                    + Long.parseLong(fields[14]);
        } catch (IOException | RuntimeException gone) {
            return 0; // ended meanwhile: its time is in its parent's cutime once reaped
        }
    }
}
