package kit;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Says in words what threads are doing: who is deadlocked with whom over which locks, and where
 * leftover threads are stuck. Tests may name the locks they know ({@link #nameLock}), so that a
 * report reads "holds Account 2's lock" rather than "holds java.lang.Object@1b6d3586".
 */
public final class ThreadReport {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Map<Integer, String> LOCK_NAMES = new ConcurrentHashMap<>();
    private static volatile Class<?> runningTest;

    private ThreadReport() {
    }

    /** Gives a lock object a name for reports. */
    public static void nameLock(Object lock, String name) {
        LOCK_NAMES.put(System.identityHashCode(lock), name);
    }

    /**
     * The deadlocks right now that involve any of {@code among}, one line per thread involved;
     * empty when there are none. (Threads left deadlocked by an earlier test are not news.)
     */
    public static String deadlocks(Collection<Thread> among) {
        long[] found = THREADS.findDeadlockedThreads();
        if (found == null) {
            return "";
        }
        Set<Long> ours = among.stream().map(Thread::threadId).collect(Collectors.toSet());
        long[] ids = Arrays.stream(found).filter(ours::contains).toArray();
        if (ids.length == 0) {
            return "";
        }
        ThreadInfo[] infos = THREADS.getThreadInfo(found, true, true);
        StringBuilder out = new StringBuilder("deadlock between " + ids.length
                + " threads, each holding a lock another one waits for (take locks in one agreed order):");
        for (ThreadInfo info : infos) {
            if (info == null) {
                continue;
            }
            out.append("\n  '").append(info.getThreadName()).append("' holds ")
                    .append(heldLocks(info))
                    .append(" and waits for ").append(name(info.getLockInfo()))
                    .append(" held by '").append(info.getLockOwnerName()).append("'")
                    .append(where(info, 3));
        }
        return out.toString();
    }

    /**
     * What each of these threads is doing, with a few frames of its stack and the first frame in
     * the exercise's code; threads doing the same thing at the same place (a pool's idle workers)
     * are one entry, named together.
     */
    public static String describe(Collection<Thread> threads) {
        Map<String, List<String>> alike = new java.util.LinkedHashMap<>();
        List<Thread> sorted = threads.stream().sorted(java.util.Comparator.comparing(Thread::getName)).toList();
        for (Thread thread : sorted) {
            ThreadInfo info = THREADS.getThreadInfo(new long[] {thread.threadId()}, true, true)[0];
            String doing;
            if (info == null) {
                doing = " " + thread.getState();
            } else {
                String waiting = info.getLockInfo() == null ? "" : " on " + name(info.getLockInfo())
                        + (info.getLockOwnerName() == null ? "" : " held by '" + info.getLockOwnerName() + "'");
                doing = " " + info.getThreadState() + waiting + where(info, 3);
            }
            alike.computeIfAbsent(doing, d -> new ArrayList<>()).add("'" + thread.getName() + "'");
        }
        List<String> lines = new ArrayList<>();
        alike.forEach((doing, names) -> lines.add("  " + (names.size() <= 3 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 2)) + " and " + (names.size() - 2) + " more threads alike") + doing));
        return String.join("\n", lines);
    }

    private static String heldLocks(ThreadInfo info) {
        List<String> held = new ArrayList<>();
        for (MonitorInfo monitor : info.getLockedMonitors()) {
            held.add(name(monitor));
        }
        for (LockInfo sync : info.getLockedSynchronizers()) {
            held.add(name(sync));
        }
        return held.isEmpty() ? "no lock" : String.join(", ", held);
    }

    /** The top {@code frames} frames, and the first frame of the exercise's code if it is further down. */
    private static String where(ThreadInfo info, int frames) {
        StackTraceElement[] stack = info.getStackTrace();
        String top = Arrays.stream(stack).limit(frames).map(frame -> "\n      at " + frame).collect(Collectors.joining());
        for (int i = frames; i < stack.length; i++) {
            if (inExercise(stack[i])) {
                return top + "\n      ..." + "\n      at " + stack[i];
            }
        }
        return top;
    }

    /** The test class that runs now (set by {@link KitExtension}): a chapter's class from elsewhere is the exercise's. */
    static void runningTest(Class<?> test) {
        runningTest = test;
    }

    /** A frame of the exercise's code: a class of a chapter's package that was not compiled with the tests. */
    static boolean inExercise(StackTraceElement frame) {
        String type = frame.getClassName();
        int dot = type.lastIndexOf('.');
        if (dot < 0 || !type.substring(0, dot).matches("ch\\d+_\\w+")) {
            return false;
        }
        Class<?> test = runningTest;
        try {
            return test == null ? !type.endsWith("Test") : !java.util.Objects.equals(location(test),
                    location(Class.forName(type, false, test.getClassLoader())));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static Object location(Class<?> type) {
        java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }

    private static String name(LockInfo lock) {
        if (lock == null) {
            return "nothing";
        }
        String known = LOCK_NAMES.get(lock.getIdentityHashCode());
        return known != null ? known : lock.getClassName() + "@" + Integer.toHexString(lock.getIdentityHashCode());
    }
}
