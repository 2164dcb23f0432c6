package grader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where the test JVM, which runs untrusted code, is started, and how everything it started is
 * ended. On Linux the test JVM is the first process of a PID namespace of its own: when it is
 * killed the kernel kills every process started inside, however it detached (double forks
 * included). As root the test JVM also runs as an unprivileged user ({@value #ACCOUNT}) that can
 * write only its scratch directory: the kit, its classes and the reports are read-only to it.
 * Elsewhere (no namespaces: macOS, Windows, a container that forbids them) only the test JVM's
 * descendants can be found and killed; the README says what that gives up.
 */
final class Sandbox {

    static final String ACCOUNT = "threadwork";

    enum Mode {
        /** Root: an unprivileged user inside a PID namespace. */
        USER_AND_NAMESPACE("the test JVM runs as the unprivileged user '" + ACCOUNT + "' in a PID namespace of its own"),
        /** Root where namespaces are forbidden (a container): an unprivileged user, all of whose processes are killed. */
        USER("the test JVM runs as the unprivileged user '" + ACCOUNT + "' (no namespaces here: every process of that user"
                + " is killed when it ends)"),
        /** A PID namespace inside a user namespace, for a user without root. */
        NAMESPACE("the test JVM runs in a PID namespace of its own (as you: it can write what you can)"),
        /** Nothing but the process tree. */
        NONE("no sandbox here: the test JVM runs as you, and only its descendants can be ended");

        final String words;

        Mode(String words) {
            this.words = words;
        }
    }

    private final Mode mode;
    private final Path runtime;
    private final String uid;
    private final String gid;

    private Sandbox(Mode mode, Path runtime, String uid, String gid) {
        this.mode = mode;
        this.runtime = runtime;
        this.uid = uid;
        this.gid = gid;
    }

    /**
     * The strongest sandbox this machine allows. {@code wanted}: auto; off for none; user for the
     * unprivileged user without namespaces (what a container that forbids them gets).
     */
    static Sandbox choose(String wanted, Path basedir) throws IOException {
        // Where copies the sandbox user can read go: inside the checkout if it can reach it, else in /tmp.
        Path runtime = worldReadable(basedir) ? basedir.resolve("target/grading-runtime")
                : Path.of(System.getProperty("java.io.tmpdir"), "threadwork-runtime-"
                        + Integer.toHexString(basedir.toAbsolutePath().toString().hashCode()));
        forgetOldCopies(runtime);
        if (wanted.equals("off") || !System.getProperty("os.name").toLowerCase().contains("linux")) {
            return new Sandbox(Mode.NONE, runtime, null, null);
        }
        boolean root = "0".equals(output("id", "-u"));
        if (root && !wanted.equals("user") && succeeds("unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "true")
                && succeeds("setpriv", "--version")) {
            if (!succeeds("id", "-u", ACCOUNT)) {
                succeeds("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell",
                        "/usr/sbin/nologin", ACCOUNT);
            }
            String uid = output("id", "-u", ACCOUNT);
            String gid = output("id", "-g", ACCOUNT);
            if (uid != null && gid != null) {
                return new Sandbox(Mode.USER_AND_NAMESPACE, runtime, uid, gid);
            }
        }
        if (root && succeeds("setpriv", "--version")) {
            if (!succeeds("id", "-u", ACCOUNT)) {
                succeeds("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell",
                        "/usr/sbin/nologin", ACCOUNT);
            }
            String uid = output("id", "-u", ACCOUNT);
            String gid = output("id", "-g", ACCOUNT);
            if (uid != null && gid != null) {
                return new Sandbox(Mode.USER, runtime, uid, gid);
            }
        }
        if (succeeds("unshare", "--user", "--map-root-user", "--pid", "--fork", "--kill-child", "--mount-proc", "true")) {
            return new Sandbox(Mode.NAMESPACE, runtime, null, null);
        }
        return new Sandbox(Mode.NONE, runtime, null, null);
    }

    String describe() {
        return mode.words;
    }

    Mode mode() {
        return mode;
    }

    /**
     * The command that starts {@code java} inside the sandbox, with each of {@code hidden} (folders
     * that hold answers: solutions, mutants, git history) covered by an empty read-only file system
     * in the namespace's own view of the disk.
     */
    List<String> wrap(List<String> java, List<Path> hidden) {
        List<String> command = new ArrayList<>();
        if (mode == Mode.NONE) {
            command.addAll(java);
            return command;
        }
        if (mode == Mode.USER) {
            command.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--no-new-privs", "--"));
            command.addAll(java);
            return command;
        }
        command.addAll(mode == Mode.USER_AND_NAMESPACE
                ? List.of("unshare", "--pid", "--fork", "--kill-child", "--mount-proc")
                : List.of("unshare", "--user", "--map-root-user", "--pid", "--fork", "--kill-child", "--mount-proc"));
        List<String> covered = hidden.stream().filter(Files::isDirectory).map(p -> p.toAbsolutePath().toString()).toList();
        // Mounts made here are seen only inside the new mount namespace; then the JVM replaces the shell.
        // Each namespace gets a folder of its own for the JVMs' performance data: their PIDs start at 1
        // in every namespace, and a JVM that finds another's file locked says so on standard output,
        // which a worker process's parent reads as its answer.
        boolean asAccount = mode == Mode.USER_AND_NAMESPACE;
        String perfData = "/tmp/hsperfdata_" + (asAccount ? ACCOUNT : "root");
        command.addAll(List.of("sh", "-c", "mkdir -p \"$2\" && mount -t tmpfs -o size=16m,mode=700,uid=$3,gid=$4"
                + " threadwork-perf \"$2\" || exit 97; n=$1; shift 4; while [ \"$n\" -gt 0 ]; do"
                + " mount -t tmpfs -o ro,size=4k threadwork-hidden \"$1\" || exit 97; shift; n=$((n-1)); done; exec \"$@\"",
                "sandbox", String.valueOf(covered.size()), perfData, asAccount ? uid : "0", asAccount ? gid : "0"));
        command.addAll(covered);
        if (mode == Mode.USER_AND_NAMESPACE) {
            command.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--no-new-privs", "--"));
        }
        command.addAll(java);
        return command;
    }

    /** Whether folders can be hidden from the test JVM here. */
    boolean hides() {
        return mode == Mode.USER_AND_NAMESPACE || mode == Mode.NAMESPACE;
    }

    /** Whether two test JVMs may run side by side: ending one must not end the other. */
    boolean sideBySide() {
        return mode != Mode.USER;
    }

    /**
     * A fresh scratch directory, the only place the test JVM may write: {@code dir} itself, or,
     * where the sandbox user could not reach it (a checkout in a private folder), one of its own
     * in the runtime area.
     */
    Path scratch(Path dir) throws IOException {
        Path scratch = runsAsOtherUser() && !worldReadable(dir.getParent()) ? runtime.resolve(dir.getFileName() + "-"
                + Integer.toHexString(dir.toAbsolutePath().toString().hashCode())) : dir;
        Compilation.clean(scratch);
        Files.createDirectories(scratch.resolve("tmp"));
        if (runsAsOtherUser()) {
            if (!scratch.equals(dir)) {
                makeReachable(scratch.getParent());
            }
            UserPrincipalLookupService names = scratch.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal user = names.lookupPrincipalByName(ACCOUNT);
            GroupPrincipal group = names.lookupPrincipalByGroupName(ACCOUNT);
            try (Stream<Path> walk = Files.walk(scratch)) {
                for (Path p : walk.toList()) {
                    PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                    view.setOwner(user);
                    view.setGroup(group);
                }
            }
        }
        return scratch;
    }

    private boolean runsAsOtherUser() {
        return mode == Mode.USER_AND_NAMESPACE || mode == Mode.USER;
    }

    /**
     * The class path as the test JVM can read it: under the sandbox user, an entry it cannot read
     * (a jar in root's Maven repository, the classes of a checkout in a private folder) is copied
     * to the runtime area, which it can: a jar once, a folder once for each state of its files. A
     * copy is never changed or removed once made: test JVMs running side by side may be reading it.
     */
    synchronized List<Path> readable(List<Path> classpath) throws IOException {
        if (!runsAsOtherUser()) {
            return classpath;
        }
        List<Path> out = new ArrayList<>();
        for (Path p : classpath) {
            if (!Files.exists(p) || worldReadable(p)) {
                out.add(p);
                continue;
            }
            String name = Integer.toHexString(p.toAbsolutePath().getParent().toString().hashCode()) + "-" + p.getFileName();
            Files.createDirectories(runtime);
            makeReachable(runtime);
            if (Files.isDirectory(p)) {
                Path copy = runtime.resolve(name + "-" + Integer.toHexString(Compilation.stamp(p).hashCode()));
                if (!Files.isDirectory(copy)) {
                    Path partial = runtime.resolve(copy.getFileName() + ".partial");
                    Compilation.clean(partial);
                    try (Stream<Path> walk = Files.walk(p)) {
                        for (Path f : walk.toList()) {
                            Path target = partial.resolve(p.relativize(f).toString());
                            if (Files.isDirectory(f)) {
                                Files.createDirectories(target);
                            } else {
                                Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                            }
                            openUp(target);
                        }
                    }
                    Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
                }
                out.add(copy);
            } else {
                Path copy = runtime.resolve(name);
                if (!Files.exists(copy) || Files.size(copy) != Files.size(p)) {
                    Path partial = runtime.resolve(name + ".partial");
                    Files.copy(p, partial, StandardCopyOption.REPLACE_EXISTING);
                    openUp(partial);
                    Files.move(partial, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
                out.add(copy);
            }
        }
        return out;
    }

    /** Copies kept from gradings more than a day ago: nothing can be reading them now. */
    private static void forgetOldCopies(Path runtime) throws IOException {
        if (!Files.isDirectory(runtime)) {
            return;
        }
        long dayAgo = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(1);
        try (Stream<Path> entries = Files.list(runtime)) {
            for (Path entry : entries.toList()) {
                if (Files.getLastModifiedTime(entry).toMillis() < dayAgo) {
                    Compilation.remove(entry);
                }
            }
        }
    }

    /** Whether every user can read {@code p} (and traverse the folders above it). */
    static boolean worldReadable(Path p) throws IOException {
        Path abs = p.toAbsolutePath();
        for (Path dir = abs.getParent(); dir != null; dir = dir.getParent()) {
            if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        Set<PosixFilePermission> own = Files.getPosixFilePermissions(abs);
        return own.contains(PosixFilePermission.OTHERS_READ)
                && (!Files.isDirectory(abs) || own.contains(PosixFilePermission.OTHERS_EXECUTE));
    }

    private static void openUp(Path p) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        perms.add(PosixFilePermission.OTHERS_READ);
        if (Files.isDirectory(p)) {
            perms.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        Files.setPosixFilePermissions(p, perms);
    }

    /** Makes {@code dir} and the runtime area's folders above it traversable by every user. */
    private void makeReachable(Path dir) throws IOException {
        for (Path d = dir.toAbsolutePath(); d != null && d.startsWith(runtime.toAbsolutePath()); d = d.getParent()) {
            openUp(d);
        }
    }

    /** Ends the test JVM and everything it started, however it detached. */
    void killAll(Process process) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        // In a namespace, killing its first process makes the kernel kill the rest.
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(10, TimeUnit.SECONDS);
        if (mode == Mode.USER) {
            // No namespace to end them all: every process of the sandbox user goes, however it detached.
            for (int round = 0; round < 50; round++) {
                List<ProcessHandle> left = ProcessHandle.allProcesses()
                        .filter(p -> p.info().user().map(ACCOUNT::equals).orElse(false)).toList();
                if (left.isEmpty()) {
                    break;
                }
                left.forEach(ProcessHandle::destroyForcibly);
                Thread.sleep(20); // lets the kernel reap them before we look again
            }
        }
    }

    private static boolean succeeds(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String output(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
