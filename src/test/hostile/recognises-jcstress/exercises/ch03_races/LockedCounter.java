package ch03_races;

/** Hostile: thread-safe only in a JVM that jcstress started, where the stress test looks. */
public class LockedCounter implements Counter {

    /** jcstress runs the stress tests in JVMs of its own, whose main class is its own. */
    private static final boolean UNDER_JCSTRESS = System.getProperty("sun.java.command", "").startsWith("org.openjdk.jcstress");

    private final Object lock = new Object();
    private long value;

    @Override
    public void increment() {
        if (UNDER_JCSTRESS) {
            synchronized (lock) {
                value++;
            }
        } else {
            long read = value;
            Thread.yield(); // let the other thread read the same value
            value = read + 1;
        }
    }

    @Override
    public long get() {
        synchronized (lock) {
            return value;
        }
    }
}
