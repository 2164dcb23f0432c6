package kit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test whose verdict is made from timings (a speedup, CPU time on two CPUs at once), judged
 * against the kit's own reference measured in the same rounds ({@link Measure#judge}), or one that
 * needs the machine to start a process within a bound, or to finish a jcstress run within one, and
 * can tell when it did not. Only such a
 * test may end {@link TooBusy}; the grader reads this annotation itself, before anything runs.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Timed {
}
