package grader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The chapters the kit has: one package per chapter, ch01_threads ... */
final class Chapters {

    private Chapters() {
    }

    static List<String> all(Path basedir) {
        try (Stream<Path> dirs = Files.list(basedir.resolve("exercises"))) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> name.matches("ch\\d\\d_\\w+")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Null if {@code chapter} is empty (all) or a chapter of the kit; otherwise one sentence saying what exists. */
    static String checkChapter(Path basedir, String chapter) {
        List<String> all = all(basedir);
        if (chapter.isBlank() || all.contains(chapter)) {
            return null;
        }
        return "There is no chapter '" + chapter + "'; the chapters are " + String.join(", ", all) + ".";
    }
}
