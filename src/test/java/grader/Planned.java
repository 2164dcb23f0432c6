package grader;

/** A test the kit knows of before it runs: where it belongs and what it is worth. */
public record Planned(String id, String chapter, int number, String exercise, String name, int points,
        boolean demonstration, int cpus) {

    /** Whether this machine has the CPUs the test needs to judge the code (see {@code kit.NeedsCpus}). */
    public boolean gradableHere() {
        return Runtime.getRuntime().availableProcessors() >= cpus;
    }

    /** Worth points: neither a demonstration nor an unannotated helper test. */
    public boolean graded() {
        return points > 0 && !demonstration;
    }

    public String title() {
        return chapter + " › " + exercise + " › " + name;
    }
}
