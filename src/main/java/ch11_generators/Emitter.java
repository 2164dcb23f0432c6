package ch11_generators;

/** How a generator's body hands out its values, one at a time. */
@FunctionalInterface
public interface Emitter<T> {

    /**
     * Hands {@code value} to the consumer, waiting until the consumer asks for it.
     *
     * @throws InterruptedException if the generator is closed meanwhile: the body should end
     */
    void emit(T value) throws InterruptedException;
}
