package grader;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.HashSet;
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
    /** The folder in scratch of what the grader reads back, and its files. */
    static final String OUT = "out";
    static final String JOURNAL = "journal.jsonl";
    static final String MEASUREMENTS = "measurements.log";
    private static final List<String> WRITTEN = List.of(JOURNAL, Child.OBSERVATIONS, MEASUREMENTS);

    enum Mode {
        /** Root: an unprivileged user inside a PID namespace. */
        USER_AND_NAMESPACE("the test JVM runs as the unprivileged user '%s' in a PID namespace of its own"),
        /** Root where namespaces are forbidden (a container): an unprivileged user, all of whose processes are killed. */
        USER("the test JVM runs as the unprivileged user '%s' (no namespaces here: every process of that user"
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
    /** The unprivileged user the test JVMs run as (as root), one no other grader on the machine is using. */
    private final String account;
    /** Who the test JVM runs as: the sandbox's account (as root), or the grader's own user (in a user namespace). */
    private final String uid;
    private final String gid;
    /** Whether a namespace can have a network of its own with loopback up (iproute2's ip is there). */
    private final boolean loopbackOnly;

    private Sandbox(Mode mode, Path runtime, String account, String uid, String gid) {
        this.mode = mode;
        this.runtime = runtime;
        this.account = account;
        this.uid = uid;
        this.gid = gid;
        this.loopbackOnly = switch (mode) {
            case USER_AND_NAMESPACE -> succeeds("unshare", "--net", "ip", "link", "set", "lo", "up");
            case NAMESPACE -> succeeds("unshare", "--user", "--map-root-user", "--net", "ip", "link", "set", "lo", "up");
            default -> false;
        };
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
            return new Sandbox(Mode.NONE, runtime, null, null, null);
        }
        String me = output("id", "-u");
        String myGroup = output("id", "-g");
        boolean root = "0".equals(me);
        String account = root && succeeds("setpriv", "--version") ? claimAccount() : null;
        if (account != null) {
            if (!succeeds("id", "-u", account)) {
                succeeds("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell",
                        "/usr/sbin/nologin", account);
            }
            String uid = output("id", "-u", account);
            String gid = output("id", "-g", account);
            if (uid != null && gid != null) {
                // util-linux 2.36 or later, as wrap() uses it: a root of its own, entered from the namespace.
                boolean namespaces = !wanted.equals("user") && succeeds("unshare", "--pid", "--fork", "--kill-child",
                        "--mount-proc", "--ipc", "unshare", "--root=/", "--wd=/", "--", "true");
                return new Sandbox(namespaces ? Mode.USER_AND_NAMESPACE : Mode.USER, runtime, account, uid, gid);
            }
        }
        if (succeeds("unshare", "--user", "--map-root-user", "--pid", "--fork", "--kill-child", "--mount-proc", "--ipc",
                "unshare", "--map-user=" + me, "--map-group=" + myGroup, "--root=/", "--wd=/", "--", "true")) {
            return new Sandbox(Mode.NAMESPACE, runtime, null, me, myGroup);
        }
        return new Sandbox(Mode.NONE, runtime, null, null, null);
    }

    /** Accounts the test JVMs of gradings running at once on one machine take, one each. */
    private static final int ACCOUNTS = 16;
    private static final String CLAIMS = "/run/threadwork";
    private static String claimed;
    @SuppressWarnings("unused") // held, not read: the lock lasts as long as this JVM keeps it open
    private static FileChannel claim;

    /** Account number {@code n}: {@value #ACCOUNT}, {@value #ACCOUNT}1, {@value #ACCOUNT}2, ... */
    private static String accountName(int n) {
        return n == 0 ? ACCOUNT : ACCOUNT + n;
    }

    /**
     * The first of {@value #ACCOUNT}, {@value #ACCOUNT}1, ... that no other grader on the machine
     * holds, held by this one until it exits (a lock in root's {@code /run/threadwork}): gradings
     * at once never share a user, so one cannot write into another's files or signal its processes.
     */
    private static synchronized String claimAccount() {
        if (claimed != null) {
            return claimed;
        }
        try {
            Path locks = Files.createDirectories(Path.of(CLAIMS));
            Files.setPosixFilePermissions(locks, PosixFilePermissions.fromString("rwx------"));
            for (int n = 0; n < ACCOUNTS; n++) {
                String name = accountName(n);
                FileChannel channel = FileChannel.open(locks.resolve(name + ".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                if (channel.tryLock() != null) {
                    claim = channel;
                    claimed = name;
                    return name;
                }
                channel.close();
            }
        } catch (IOException e) {
            // no place for the claims: the first account, shared
        }
        claimed = ACCOUNT;
        return claimed;
    }

    String describe() {
        return String.format(mode.words, account) + (mode == Mode.USER_AND_NAMESPACE || mode == Mode.NAMESPACE
                ? ", seeing only the system, the kit and folders of its own" + (loopbackOnly ? ", with a network of only loopback"
                        : " (no network of its own: iproute2's ip is missing)") : "");
    }

    Mode mode() {
        return mode;
    }

    /** Where copies the sandbox user can read are kept. */
    Path runtime() {
        return runtime;
    }

    /**
     * The command that starts {@code java} inside the sandbox. In a namespace it sees an allow-list
     * of the disk: the system's programs and libraries ({@link #SYSTEM}), {@code /dev}, {@code /proc}
     * and {@code /sys}, and {@code kept} (the kit, its scratch folder, its class path, the JDK) where
     * they lie, with each of {@code hidden} (folders that hold answers: solutions, mutants, git
     * history) covered by an empty read-only file system; {@code /tmp}, {@code /var/tmp} and
     * {@code /dev/shm} of its own, bounded and gone with it; a network of its own with only
     * loopback, unless {@code network} (a broker outside); and no privilege left, so that it cannot
     * lift those covers or leave that root.
     */
    List<String> wrap(List<String> java, List<Path> hidden, Path scratch, List<Path> kept, boolean network) {
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
        boolean ownNetwork = !network && loopbackOnly;
        command.addAll(mode == Mode.USER_AND_NAMESPACE ? List.of("unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "--ipc")
                : List.of("unshare", "--user", "--map-root-user", "--pid", "--fork", "--kill-child", "--mount-proc", "--ipc"));
        if (ownNetwork) {
            command.add("--net");
        }
        // Mounts made here are seen only inside the new mount namespace; then the JVM replaces the shell.
        Path root = scratch.toAbsolutePath().resolve(OUT).resolve("root");
        StringBuilder script = new StringBuilder("set -e\n");
        if (ownNetwork) {
            script.append("ip link set lo up\n");
        }
        script.append("mkdir -p ").append(quote(root)).append("\nmount -t tmpfs -o mode=755,size=16m threadwork-root ")
                .append(quote(root)).append('\n');
        for (String top : SYSTEM) {
            Path dir = Path.of("/", top);
            Path at = root.resolve(top);
            if (Files.isSymbolicLink(dir)) { // /bin -> usr/bin where /usr is merged
                script.append("ln -s \"$(readlink ").append(quote(dir)).append(")\" ").append(quote(at)).append('\n');
            } else if (Files.isDirectory(dir)) {
                script.append("mkdir ").append(quote(at)).append(" && mount --rbind ").append(quote(dir)).append(' ')
                        .append(quote(at)).append('\n');
            }
        }
        for (String temporary : List.of("tmp", "var/tmp", "dev/shm")) {
            script.append("mkdir -p ").append(quote(root.resolve(temporary))).append(" && mount -t tmpfs -o size=")
                    .append(TEMPORARY_MB).append("m,mode=1777 threadwork-tmp ").append(quote(root.resolve(temporary))).append('\n');
        }
        for (Path k : outermost(kept.stream().filter(p -> Files.exists(p)).toList())) {
            if (SYSTEM.stream().anyMatch(top -> k.startsWith(Path.of("/", top)))) {
                continue; // there already
            }
            Path at = root.resolve(Path.of("/").relativize(k).toString());
            // Not recursive: the new root, which may lie inside, does not come along.
            script.append(Files.isDirectory(k) ? "mkdir -p " + quote(at) : "mkdir -p " + quote(at.getParent()) + " && touch "
                    + quote(at)).append(" && mount --bind ").append(quote(k)).append(' ').append(quote(at)).append('\n');
        }
        for (Path h : hidden) {
            Path at = root.resolve(Path.of("/").relativize(h.toAbsolutePath()).toString());
            script.append("if [ -d ").append(quote(at)).append(" ]; then mount -t tmpfs -o ro,size=4k threadwork-hidden ")
                    .append(quote(at)).append("; fi\n");
        }
        script.append("exec \"$@\"");
        command.addAll(List.of("sh", "-c", script.toString(), "sandbox"));
        // Into the new root, and no privilege left there: as root of the namespace, the code under test could
        // unmount the covers. The JVM's own /tmp makes its performance data (PIDs start at 1 in every
        // namespace) its own, which a JVM that found another's file locked would say on standard output.
        String into = "--root=" + root;
        String wd = "--wd=" + scratch.toAbsolutePath();
        if (mode == Mode.USER_AND_NAMESPACE) {
            command.addAll(List.of("unshare", into, wd, "--", "setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups",
                    "--no-new-privs", "--"));
        } else {
            command.addAll(List.of("unshare", "--map-user=" + uid, "--map-group=" + gid, into, wd, "--"));
        }
        command.addAll(java);
        return command;
    }

    /** The folders of the system's programs, libraries and settings, which the test JVM sees as they are. */
    private static final List<String> SYSTEM = List.of("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "dev",
            "proc", "sys");
    private static final int TEMPORARY_MB = 512;

    /** {@code paths}, absolute, without those inside another. */
    private static List<Path> outermost(List<Path> paths) {
        List<Path> all = paths.stream().map(p -> p.toAbsolutePath().normalize()).distinct().sorted().toList();
        List<Path> out = new ArrayList<>();
        for (Path p : all) {
            if (out.stream().noneMatch(p::startsWith)) {
                out.add(p);
            }
        }
        return out;
    }

    /** {@code p} as one word for sh. */
    private static String quote(Path p) {
        return "'" + p.toAbsolutePath().toString().replace("'", "'\\''") + "'";
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
        UserPrincipal user = null;
        if (runsAsOtherUser()) {
            if (!scratch.equals(dir)) {
                makeReachable(scratch.getParent());
            }
            UserPrincipalLookupService names = scratch.getFileSystem().getUserPrincipalLookupService();
            user = names.lookupPrincipalByName(account);
            GroupPrincipal group = names.lookupPrincipalByGroupName(account);
            try (Stream<Path> walk = Files.walk(scratch)) {
                for (Path p : walk.toList()) {
                    PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                    view.setOwner(user);
                    view.setGroup(group);
                }
            }
            // Another grading's test JVM, another user, cannot even look in.
            Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwx------"));
        }
        // The files the grader reads back, in a folder of the grader's: the test JVM writes into them
        // but cannot put a link, a pipe or another file in their place (as another user).
        Path out = Files.createDirectory(scratch.resolve(OUT));
        for (String name : WRITTEN) {
            Path file = Files.createFile(out.resolve(name));
            if (user != null) {
                Files.setOwner(file, user);
            }
        }
        return scratch;
    }

    /**
     * What the test JVM wrote into {@code file}, at most {@code max} bytes: only from a regular file
     * with no other name, owned by the sandbox's user where it runs as another. A link the code
     * under test put there (to an answer the grader could read), a pipe (which would block the
     * grader) or a file of someone else's is refused.
     */
    byte[] readWritten(Path file, int max) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return new byte[0];
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " is not a file the test JVM wrote (a link or a pipe)");
        }
        if (File.separatorChar == '/' && ((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue() != 1) {
            throw new IOException(file + " has other names (a hard link)");
        }
        if (runsAsOtherUser() && !Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName().equals(account)) {
            throw new IOException(file + " is not the sandbox user's");
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return in.readNBytes(max);
        }
    }

    /**
     * Copies the files under {@code from} that the test JVM wrote (as {@link #readWritten} reads
     * them, each at most {@code max} bytes) to {@code to}; links, pipes and the like are left out.
     */
    void copyWritten(Path from, Path to, int max) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.write(target, readWritten(p, max));
                }
            }
        }
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

    /** The accounts other than this grader's that no grader holds now: nothing of theirs should be running. */
    private static synchronized List<String> unclaimedAccounts() {
        List<String> free = new ArrayList<>();
        for (int n = 0; n < ACCOUNTS; n++) {
            String name = accountName(n);
            Path lock = Path.of(CLAIMS, name + ".lock");
            if (name.equals(claimed) || !Files.exists(lock)) {
                continue;
            }
            try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
                if (channel.tryLock() != null) { // released with the channel
                    free.add(name);
                }
            } catch (IOException | OverlappingFileLockException e) {
                // held, or not ours to look at
            }
        }
        return free;
    }

    /** Ends the test JVM and everything it started, however it detached. */
    void killAll(Process process) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        // In a namespace, killing its first process makes the kernel kill the rest.
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(10, TimeUnit.SECONDS);
        if (mode == Mode.USER) {
            // No namespace to end them all: every process of the sandbox user goes, however it detached, and those of
            // accounts whose grader has ended (a grading this one started and killed, whose test JVM it cannot name).
            Set<String> accounts = new HashSet<>(unclaimedAccounts());
            accounts.add(account);
            for (int round = 0; round < 50; round++) {
                List<ProcessHandle> left = ProcessHandle.allProcesses()
                        .filter(p -> p.info().user().map(accounts::contains).orElse(false)).toList();
                if (left.isEmpty()) {
                    break;
                }
                left.forEach(ProcessHandle::destroyForcibly);
                Thread.sleep(20); // lets the kernel reap them before we look again
            }
        }
    }

    static boolean succeeds(String... command) {
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
