package ch12_distributed;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A task as it travels to a worker: the name of one of the {@link Tasks} and its arguments. On the
 * wire it is one line of text, {@code square 7}, the body of the message published to the work
 * queue. Immutable.
 */
public record Task(String name, List<Long> args) {

    public Task {
        Objects.requireNonNull(name, "name");
        args = List.copyOf(Objects.requireNonNull(args, "args"));
        if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("name must be one word, was '" + name + "'");
        }
    }

    /** The task {@code name(args...)}, e.g. {@code Task.of("add", 2, 3)}. */
    public static Task of(String name, long... args) {
        return new Task(name, Arrays.stream(Objects.requireNonNull(args, "args")).boxed().toList());
    }

    /** The message body: the name and the arguments, separated by spaces, in UTF-8. */
    public byte[] encode() {
        StringBuilder line = new StringBuilder(name);
        args.forEach(arg -> line.append(' ').append(arg));
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The task a message body carries.
     *
     * @throws IllegalArgumentException if the body is not a task's line (no name, or an argument that
     *     is not a whole number)
     */
    public static Task decode(byte[] body) {
        String line = new String(Objects.requireNonNull(body, "body"), StandardCharsets.UTF_8).strip();
        String[] words = line.split("\\s+");
        if (line.isEmpty()) {
            throw new IllegalArgumentException("not a task: an empty message");
        }
        List<Long> args = new ArrayList<>();
        for (int i = 1; i < words.length; i++) {
            try {
                args.add(Long.parseLong(words[i]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a task: '" + line + "' (argument " + i + " is not a whole number)");
            }
        }
        return new Task(words[0], args);
    }

    /** {@code square(7)}. */
    @Override
    public String toString() {
        return name + args.stream().map(String::valueOf).collect(Collectors.joining(", ", "(", ")"));
    }
}
