package ch11_generators;

/** The body of a {@code ThreadedGenerator} threw: its exception is the cause. */
public class GeneratorException extends RuntimeException {

    public GeneratorException(Throwable cause) {
        super("the generator's body failed: " + cause, cause);
    }
}
