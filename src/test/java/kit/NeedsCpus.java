package kit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test that can only judge the code on a machine with at least this many CPUs (two jcstress
 * actors at once, a CPU speedup). On a smaller machine the grader does not run it and reports it
 * as not gradable there; its points go to the exercise's other tests. The grader reads this
 * annotation itself: nothing the tested code does decides whether a test counts.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface NeedsCpus {

    int value();
}
