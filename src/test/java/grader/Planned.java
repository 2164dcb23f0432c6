package grader;

/**
 * A graded test (or a demonstration) as the grader knows it before anything runs: read from the
 * kit's own test classes, never from what the test JVM reports.
 *
 * @param id JUnit's unique id of the test
 * @param number the exercise's catalogue number ({@code @Exercise})
 * @param order the test's place in its class ({@code @Order})
 * @param cpus the CPUs it needs to judge the code ({@code @NeedsCpus}, else 1)
 * @param timed whether its verdict is made from timings against the kit's reference ({@code @Timed}), so
 *     that it may end "not graded: the machine was too busy"
 */
public record Planned(String id, String chapter, String exercise, int number, String name, int order, int points,
        boolean demonstration, int cpus, boolean timed) {

    /** Worth points: neither a demonstration nor an unannotated helper test. */
    public boolean graded() {
        return points > 0 && !demonstration;
    }

    public String title() {
        return chapter + " › " + exercise + " › " + name;
    }

    /** Whether a machine with {@code cpusHere} CPUs can judge the code with this test. */
    public boolean gradableOn(int cpusHere) {
        return cpusHere >= cpus;
    }
}
