package kit;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
     * The deadlocks right now that involve any of {@code among}, empty when there are none
     * (threads left deadlocked by an earlier test are not news). Each deadlock is told as its
     * cycle, the threads that each hold a lock the next one waits for, one line each; then the
     * threads of {@code among} that are merely waiting behind it (blocked on a lock the cycle
     * holds, or on one held by such a thread), apart: the JVM's own list of deadlocked threads
     * mixes some of them in, a different few from run to run.
     */
    public static String deadlocks(Collection<Thread> among) {
        long[] found = THREADS.findDeadlockedThreads();
        if (found == null) {
            return "";
        }
        Set<Long> ours = among.stream().map(Thread::threadId).collect(Collectors.toSet());
        if (Arrays.stream(found).noneMatch(ours::contains)) {
            return ""; // quick, for a caller that polls: none of its threads is even near a deadlock
        }
        Set<Long> ids = new LinkedHashSet<>();
        Arrays.stream(found).forEach(ids::add);
        ids.addAll(ours);
        Map<Long, ThreadInfo> infos = new TreeMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(ids.stream().mapToLong(Long::longValue).toArray(), true, true)) {
            if (info != null) {
                infos.put(info.getThreadId(), info);
            }
        }
        Set<Long> deadlocked = Arrays.stream(found).boxed().collect(Collectors.toSet());
        // Only the JVM's deadlocked threads can form a cycle (a thread in Object.wait() names a lock it let go of).
        List<List<ThreadInfo>> cycles = cycles(infos).stream()
                .filter(cycle -> cycle.stream().allMatch(info -> deadlocked.contains(info.getThreadId()))).toList();
        Set<Long> inCycles = new LinkedHashSet<>();
        cycles.forEach(cycle -> cycle.forEach(info -> inCycles.add(info.getThreadId())));
        List<String> told = new ArrayList<>();
        for (List<ThreadInfo> cycle : cycles) {
            Set<Long> members = cycle.stream().map(ThreadInfo::getThreadId).collect(Collectors.toSet());
            List<ThreadInfo> behind = infos.values().stream()
                    .filter(info -> ours.contains(info.getThreadId()) && !inCycles.contains(info.getThreadId())
                            && waitsOn(info, members, infos))
                    .toList();
            if (cycle.stream().noneMatch(info -> ours.contains(info.getThreadId())) && behind.isEmpty()) {
                continue; // an earlier test's
            }
            record(cycle.toArray(new ThreadInfo[0])); // the report page's picture of the first one
            StringBuilder out = new StringBuilder("deadlock between " + cycle.size()
                    + " threads, each holding a lock another one waits for (take locks in one agreed order):");
            for (ThreadInfo info : cycle) {
                out.append("\n  '").append(info.getThreadName()).append("' holds ").append(heldLocks(info))
                        .append(" and waits for ").append(waitingFor(info)).append(where(info, 3));
            }
            if (!behind.isEmpty()) {
                out.append("\n  ").append(behind.size()).append(behind.size() == 1 ? " more thread, not in the cycle, waits"
                        : " more threads, not in the cycle, wait").append(" behind it:");
                for (ThreadInfo info : behind) {
                    out.append("\n    '").append(info.getThreadName()).append("' holds ").append(heldLocks(info))
                            .append(" and waits for ").append(waitingFor(info));
                }
            }
            told.add(out.toString());
        }
        return String.join("\n", told);
    }

    /**
     * The cycles of "waits for a lock held by" among {@code infos}: each once, starting from its
     * lowest thread id, in the order of the waits.
     */
    private static List<List<ThreadInfo>> cycles(Map<Long, ThreadInfo> infos) {
        List<List<ThreadInfo>> cycles = new ArrayList<>();
        Set<Long> seen = new LinkedHashSet<>();
        for (long start : infos.keySet()) {
            List<Long> path = new ArrayList<>();
            long id = start;
            while (id != -1 && infos.containsKey(id) && !path.contains(id) && !seen.contains(id)) {
                path.add(id);
                id = infos.get(id).getLockOwnerId();
            }
            seen.addAll(path);
            int from = path.indexOf(id);
            if (from >= 0) {
                List<Long> cycle = new ArrayList<>(path.subList(from, path.size()));
                int lowest = cycle.indexOf(cycle.stream().min(Long::compare).orElseThrow());
                Collections.rotate(cycle, -lowest);
                cycles.add(cycle.stream().map(infos::get).toList());
            }
        }
        return cycles;
    }

    /** Whether {@code info}'s thread waits, directly or through other waiting threads, for a lock held by one of {@code members}. */
    private static boolean waitsOn(ThreadInfo info, Set<Long> members, Map<Long, ThreadInfo> infos) {
        Set<Long> passed = new LinkedHashSet<>();
        long owner = info.getLockOwnerId();
        while (owner != -1 && passed.add(owner)) {
            if (members.contains(owner)) {
                return true;
            }
            ThreadInfo next = infos.get(owner);
            owner = next == null ? -1 : next.getLockOwnerId();
        }
        return false;
    }

    private static String waitingFor(ThreadInfo info) {
        return name(info.getLockInfo()) + " held by '" + info.getLockOwnerName() + "'";
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
