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
        record(infos);
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

    /** The deadlock as a graph for the report page ({@link Observations}): each thread, what it holds, what it waits for. */
    private static void record(ThreadInfo[] infos) {
        List<Map<String, Object>> threads = new ArrayList<>();
        for (ThreadInfo info : infos) {
            if (info == null || threads.size() >= 8) {
                continue;
            }
            List<String> held = new ArrayList<>();
            Arrays.stream(info.getLockedMonitors()).limit(4).forEach(m -> held.add(name(m)));
            Arrays.stream(info.getLockedSynchronizers()).limit(4).forEach(l -> held.add(name(l)));
            Map<String, Object> thread = new java.util.LinkedHashMap<>();
            thread.put("name", info.getThreadName());
            thread.put("holds", held);
            thread.put("waitsFor", name(info.getLockInfo()));
            thread.put("heldBy", info.getLockOwnerName());
            threads.add(thread);
        }
        Observations.record("deadlock", Map.of("threads", threads), 1);
    }

    /** What each of these threads is doing, with a few frames of its stack. */
    public static String describe(Collection<Thread> threads) {
        List<String> lines = new ArrayList<>();
        for (Thread thread : threads) {
            ThreadInfo info = THREADS.getThreadInfo(new long[] {thread.threadId()}, true, true)[0];
            if (info == null) {
                lines.add("  '" + thread.getName() + "' " + thread.getState());
                continue;
            }
            String waiting = info.getLockInfo() == null ? "" : " on " + name(info.getLockInfo())
                    + (info.getLockOwnerName() == null ? "" : " held by '" + info.getLockOwnerName() + "'");
            lines.add("  '" + info.getThreadName() + "' " + info.getThreadState() + waiting + where(info, 3));
        }
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

    private static String where(ThreadInfo info, int frames) {
        StackTraceElement[] stack = info.getStackTrace();
        if (stack.length == 0) {
            return "";
        }
        return Arrays.stream(stack).limit(frames)
                .map(frame -> "\n      at " + frame)
                .collect(Collectors.joining());
    }

    private static String name(LockInfo lock) {
        if (lock == null) {
            return "nothing";
        }
        String known = LOCK_NAMES.get(lock.getIdentityHashCode());
        return known != null ? known : lock.getClassName() + "@" + Integer.toHexString(lock.getIdentityHashCode());
    }
}
