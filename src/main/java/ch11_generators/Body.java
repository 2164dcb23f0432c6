package ch11_generators;

/**
 * The body of a {@code ThreadedGenerator}: Python's generator function. Where Python writes
 * {@code yield value}, a body calls {@code out.emit(value)}.
 */
@FunctionalInterface
public interface Body<T> {

    void run(Emitter<T> out) throws Exception;
}
