package kit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test that shows something (a race made visible) and is worth no points. It passes with the
 * stubs as with the solutions, so the self-check lists it instead of expecting it to fail.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Demonstration {
}
