package kit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class as the graded tests of one exercise: the class {@code BankTest} grades the
 * exercise {@code Bank}, the class the student edits. Brings the kit's extension: a timeout that
 * names deadlocks, and a check that the exercise left no thread running.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KitExtension.class)
public @interface Exercise {

    /** The exercise's number in the catalogue, which orders the scoreboard and GRADING.md. */
    int value();
}
