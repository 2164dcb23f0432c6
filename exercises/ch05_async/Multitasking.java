package ch05_async;

import java.util.List;

/**
 * Exercise 16 (continued): the source's asyncio programs on your {@link EventLoop}. Each task is a
 * chain of {@code loop.sleep(...)} futures; each returns its {@link Log}'s lines, e.g.
 * {@code "4.000s book: read page 1"}. See README.md in this folder for the exact lines.
 */
public class Multitasking {

    /**
     * Reading a book while checking the phone, with a seconds ticker. At the start, log
     * {@code "book: start reading"} then {@code "phone: start checking"}; the book logs
     * {@code "book: read page k"} every 4 s for 4 pages; the phone logs {@code "phone: message k"}
     * after waiting 2, then 4, then 1 s; the ticker logs {@code "tick k"} every second up to 20;
     * when all three are done, {@code "all done"}. Runs {@code loop} until then.
     */
    public static List<String> readBookAndCheckPhone(EventLoop loop) {
        throw new UnsupportedOperationException("TODO: three chains of loop.sleep(...), allOf them, runUntilComplete");
    }

    /**
     * Five sleepers and a main task. Main logs {@code "main: starting 5 sleepers"}, draws each
     * sleeper's nap, sleeper 1 first, as {@code new Random(seed).nextInt(5001)} milliseconds, starts
     * each with {@code loop.callSoon}, and sleeps 2 s. Sleeper i logs
     * {@code "sleeper i: sleeping <nap> ms"} when it starts and {@code "sleeper i: woke up"} after its
     * nap. After its 2 s main logs {@code "main: waiting for the sleepers"} and, when all have woken,
     * {@code "main: all sleepers done"}. Runs {@code loop} until then.
     */
    public static List<String> fiveSleepers(EventLoop loop, long seed) {
        throw new UnsupportedOperationException("TODO: callSoon each sleeper, loop.sleep(2 s), then wait for all");
    }
}
