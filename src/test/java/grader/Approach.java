package grader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Another good way to solve an exercise, shown once it is solved (watch mode's {@code approaches},
 * the report page, the edition's {@code exercises/<chapter>/approaches/}). Kept as Markdown, one
 * file per exercise, {@code exercises/<chapter>/approaches/<Exercise>.md}: an introduction, then
 * one {@code ## } section per approach with its trade-offs and the whole class in a {@code java}
 * block. The self-check grades each block in place of the reference solution with the exercise's
 * graded tests: an approach a test fails is a gap (in the approach or in the test).
 *
 * @param title the section's heading
 * @param text what it does and what it costs, in Markdown, without the code
 * @param code the class, compiled and graded as the exercise's solution
 */
record Approach(String chapter, String exercise, String title, String text, String code) {

    static final String DIR = "approaches";
    /**
     * What the student edition holds in place of each approaches file: every approach is a whole
     * answer, so students get them only in an edition their instructor builds for after the deadline.
     */
    static final String WITHHELD = "Each of the other good ways to write this exercise is a whole answer, so this edition"
            + " does not hold them: your instructor can give them to you once the exercise is due.";
    private static final Pattern CODE = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    /** A short name for labels and folders: the title in lower case, words joined by '-'. */
    String name() {
        String slug = title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return slug.isEmpty() ? "approach" : slug;
    }

    /** The file this approach is kept in. */
    static Path file(Path basedir, String chapter, String exercise) {
        return basedir.resolve("exercises").resolve(chapter).resolve(DIR).resolve(exercise + ".md");
    }

    /** The approaches of one exercise, in the file's order; none when it has no file. */
    static List<Approach> of(Path basedir, String chapter, String exercise) throws IOException {
        Path file = file(basedir, chapter, exercise);
        return Files.isRegularFile(file) ? parse(chapter, exercise, Files.readString(file)) : List.of();
    }

    /** Every approach of these chapters. */
    static List<Approach> all(Path basedir, List<String> chapters) throws IOException {
        List<Approach> all = new ArrayList<>();
        for (String chapter : chapters) {
            Path dir = basedir.resolve("exercises").resolve(chapter).resolve(DIR);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                    all.addAll(parse(chapter, f.getFileName().toString().replaceFirst("\\.md$", ""), Files.readString(f)));
                }
            }
        }
        return all;
    }

    static List<Approach> parse(String chapter, String exercise, String markdown) {
        List<Approach> found = new ArrayList<>();
        String[] sections = markdown.replace("\r\n", "\n").split("(?m)^## ");
        for (int i = 1; i < sections.length; i++) {
            String section = sections[i];
            int eol = section.indexOf('\n');
            String title = (eol < 0 ? section : section.substring(0, eol)).strip();
            String body = eol < 0 ? "" : section.substring(eol + 1);
            Matcher code = CODE.matcher(body);
            if (code.find()) {
                String text = (body.substring(0, code.start()) + body.substring(code.end())).strip();
                found.add(new Approach(chapter, exercise, title, text, code.group(1)));
            }
        }
        return found;
    }
}
