package kit.grading;

/** A test the kit knows of before it runs: where it belongs and what it is worth. */
public record PlannedTest(String id, String chapter, int number, String exercise, String name, int points,
        boolean demonstration) {

    /** Worth points: neither a demonstration nor an unannotated helper test. */
    public boolean graded() {
        return points > 0 && !demonstration;
    }

    public String title() {
        return chapter + " › " + exercise + " › " + name;
    }
}
