package grader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The chapters the kit has: one package per chapter ({@code ch01_threads} ...), whose graded tests
 * live in {@code src/test/java/<chapter>/}. The kit's own tests say which chapters exist, not
 * whatever folders a submission brings.
 */
final class Chapters {

    /** What a chapter's name looks like, written once. */
    static final Pattern NAME = Pattern.compile("ch\\d\\d_[a-z0-9_]+");

    private Chapters() {
    }

    static List<String> all(Path basedir) {
        try (Stream<Path> dirs = Files.list(basedir.resolve("src/test/java"))) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> NAME.matcher(name).matches()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The chapters selected by {@code chapter} (empty: all of them).
     *
     * @throws IllegalArgumentException with one sentence saying which chapters exist
     */
    static List<String> select(Path basedir, String chapter) {
        List<String> all = all(basedir);
        if (chapter == null || chapter.isBlank()) {
            return all;
        }
        List<String> chosen = List.of(chapter.split(","));
        for (String c : chosen) {
            if (!all.contains(c.strip())) {
                throw new IllegalArgumentException("There is no chapter '" + c.strip() + "'; the chapters are "
                        + String.join(", ", all) + ".");
            }
        }
        return chosen.stream().map(String::strip).toList();
    }
}
