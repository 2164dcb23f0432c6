package grader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A whole class graded on GitHub Actions (graders/github/class-grading.yml), one step at a time:
 * <ul>
 * <li>{@code plan}: the roster (one repository a line) resolved to the commit each repository's
 * default branch is at now, or the reason it cannot be graded (missing or unreadable, empty), and
 * cut into shards, fewer than GitHub's 256 jobs of a matrix whatever the class's size;</li>
 * <li>{@code shard}: one shard's repositories cloned at those commits and graded by
 * {@link GradeAll}; its gradebook rows, one per student and chapter;</li>
 * <li>{@code merge}: every shard's rows in one gradebook, a row with its reason for every student and
 * chapter a shard did not deliver, and the summary for the run's page.</li>
 * </ul>
 * A shard depends only on the plan, so a failed one is graded again alone, at the same commits.
 * Nothing git prints reaches the gradebook (a token may be in its URLs): its reasons are fixed words.
 */
@Command(name = "class-grading", mixinStandardHelpOptions = true)
public final class ClassGrading implements Callable<Integer> {

    /** GitHub's limit of jobs in one matrix is 256: the plan keeps below it. */
    static final int MAX_SHARDS = 250;
    static final String HEADER = "student,repository,chapter,score,max_score,graded,commit,commit_time,seconds,note";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--basedir", required = true)
    Path basedir;

    @Option(names = "--step", required = true, description = "plan, shard or merge")
    String step;

    @Option(names = "--roster", defaultValue = "", description = "plan: the file of repositories, one a line (owner/name, a URL or a path)")
    String roster;

    @Option(names = "--shard", defaultValue = "0", description = "shard: which one, from 1")
    int shard;

    @Option(names = "--shard-size", defaultValue = "10", description = "plan: students per shard (more when the class needs over 250 shards)")
    int shardSize;

    @Option(names = "--work", defaultValue = "", description = "the plan's folder, the shards' and the gradebook's (default: target/class-grading)")
    String work;

    @Option(names = "--time-limit", defaultValue = "480", description = "seconds for one submission")
    long seconds;

    @Mixin
    GradingOptions options = new GradingOptions();

    PrintStream out = System.out;
    /** Where owner/name repositories are cloned from; THREADWORK_GIT_BASE (the workflow puts its token in it). */
    String gitBase = System.getenv().getOrDefault("THREADWORK_GIT_BASE", "https://github.com");

    /** One line of the plan: a repository, the commit to grade, or why there is none. */
    record Entry(String student, String repository, int shard, String commit, String reason) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ClassGrading()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dir = (work.isBlank() ? basedir.resolve("target/class-grading") : Path.of(work)).toAbsolutePath().normalize();
        return switch (step) {
            case "plan" -> plan(dir);
            case "shard" -> shard(dir);
            case "merge" -> merge(dir);
            default -> {
                out.println("class-grading: --step is plan, shard or merge, not " + step);
                yield 2;
            }
        };
    }

    private int plan(Path dir) throws Exception {
        if (roster.isBlank() || !Files.isRegularFile(Path.of(roster))) {
            out.println("class-grading: name the roster, a file with one repository a line: --roster=FILE"
                    + (roster.isBlank() ? "" : " (" + roster + " is not a file)"));
            return 2;
        }
        List<String> chapters = Chapters.select(basedir, options.chapter);
        Set<String> repositories = new LinkedHashSet<>();
        for (String line : Files.readAllLines(Path.of(roster))) {
            String repository = line.replaceFirst("#.*", "").strip();
            if (!repository.isEmpty()) {
                repositories.add(repository);
            }
        }
        Map<String, String> students = new TreeMap<>();
        for (String repository : repositories) {
            String student = student(repository);
            String before = students.put(student, repository);
            if (before != null) {
                out.println("class-grading: two repositories of the roster are both the student " + student + ": " + before + " and "
                        + repository);
                return 2;
            }
        }
        if (students.isEmpty()) {
            out.println("class-grading: the roster " + roster + " names no repository");
            return 2;
        }
        int size = Math.max(shardSize, (students.size() + MAX_SHARDS - 1) / MAX_SHARDS);
        int shards = (students.size() + size - 1) / size;
        List<Entry> entries = new ArrayList<>();
        // ls-remote of each repository at once: a class of hundreds waits on the network, not on a CPU.
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String[]>> heads = new ArrayList<>();
            for (String repository : students.values()) {
                heads.add(pool.submit(() -> head(repository)));
            }
            int i = 0;
            for (Map.Entry<String, String> student : students.entrySet()) {
                String[] head = heads.get(i).get();
                entries.add(new Entry(student.getKey(), student.getValue(), i / size + 1, head[0], head[1]));
                i++;
            }
        }
        Files.createDirectories(dir);
        StringBuilder text = new StringBuilder("student\trepository\tshard\tcommit\treason\n");
        for (Entry e : entries) {
            text.append(String.join("\t", e.student(), e.repository(), String.valueOf(e.shard()), e.commit(), e.reason())).append('\n');
        }
        Files.writeString(dir.resolve("plan.tsv"), text);
        // What every shard grades, kept with the plan: a shard re-run later grades the same.
        Files.writeString(dir.resolve("chapters.txt"), String.join("\n", chapters) + "\n");
        Files.writeString(dir.resolve("exercise.txt"), options.exercise + "\n");
        StringBuilder matrix = new StringBuilder("{\"shard\":[");
        for (int s = 1; s <= shards; s++) {
            matrix.append(s == 1 ? "" : ",").append(s);
        }
        Files.writeString(dir.resolve("matrix.json"), matrix.append("]}\n"));
        long unreachable = entries.stream().filter(e -> !e.reason().isEmpty()).count();
        out.println("class-grading: " + entries.size() + " repositories in " + shards + " shards of up to " + size + " (" + unreachable
                + " with nothing to grade), " + String.join(",", chapters) + "; plan: " + dir.resolve("plan.tsv"));
        return 0;
    }

    /** The student a repository is: its name (owner/name, a URL or a path all end in it). */
    static String student(String repository) {
        String name = repository.replaceFirst("/+$", "").replaceFirst("\\.git$", "");
        return name.substring(name.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Where git reaches a repository of the roster. */
    String url(String repository) {
        return repository.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+") ? gitBase + "/" + repository + ".git" : repository;
    }

    /** The commit a repository's HEAD is at, and "" as reason; or "" and the reason there is none. */
    private String[] head(String repository) throws IOException, InterruptedException {
        Run run = git(null, 120, "ls-remote", url(repository), "HEAD");
        if (run.status() != 0) {
            return new String[] {"", "not graded: the repository is missing, or the workflow's token cannot read it"};
        }
        String line = run.output().lines().filter(l -> l.endsWith("\tHEAD")).findFirst().orElse("");
        return line.isEmpty() ? new String[] {"", "not graded: the repository is empty (no commit)"}
                : new String[] {line.substring(0, line.indexOf('\t')), ""};
    }

    private record Run(int status, String output) {
    }

    /** git, without a prompt for credentials, its output kept from the gradebook. */
    private static Run git(Path in, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        if (in != null) {
            command.addAll(List.of("-C", in.toString()));
        }
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Run(-1, "");
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private List<Entry> readPlan(Path dir) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("plan.tsv")).stream().skip(1).toList()) {
            String[] f = line.split("\t", -1);
            entries.add(new Entry(f[0], f[1], Integer.parseInt(f[2]), f[3], f[4]));
        }
        return entries;
    }

    private int shard(Path dir) throws Exception {
        if (!Files.isRegularFile(dir.resolve("plan.tsv"))) {
            out.println("class-grading: no plan in " + dir + " (the plan step writes it)");
            return 2;
        }
        long started = System.nanoTime();
        List<String> chapters = Files.readAllLines(dir.resolve("chapters.txt")).stream().filter(s -> !s.isBlank()).toList();
        List<Entry> mine = readPlan(dir).stream().filter(e -> e.shard() == shard).toList();
        options.chapter = String.join(",", chapters);
        options.exercise = Files.isRegularFile(dir.resolve("exercise.txt")) ? Files.readString(dir.resolve("exercise.txt")).strip() : "";
        Path shardDir = dir.resolve("shard-" + shard);
        Compilation.clean(shardDir);
        Path submissions = shardDir.resolve("submissions");
        Files.createDirectories(submissions);
        Map<String, String> reasons = new LinkedHashMap<>();
        Map<String, String> commitTimes = new LinkedHashMap<>();
        for (Entry e : mine) {
            if (!e.reason().isEmpty()) {
                reasons.put(e.student(), e.reason());
                continue;
            }
            Path clone = submissions.resolve(e.student());
            Run cloned = git(null, 300, "clone", "--quiet", "--no-checkout", url(e.repository()), clone.toString());
            Run checkout = cloned.status() == 0 ? git(clone, 120, "checkout", "--quiet", "--detach", e.commit()) : cloned;
            Run time = checkout.status() == 0 ? git(clone, 60, "show", "-s", "--format=%cI", e.commit()) : checkout;
            if (time.status() != 0) {
                reasons.put(e.student(), "not graded: the repository could not be cloned at the planned commit");
                Compilation.clean(clone);
                Files.deleteIfExists(clone);
                continue;
            }
            commitTimes.put(e.student(), time.output().strip());
            Compilation.clean(clone.resolve(".git"));
            Files.deleteIfExists(clone.resolve(".git"));
        }
        Path reports = shardDir.resolve("reports");
        Map<String, GradeAll.Score> scores = new LinkedHashMap<>();
        if (!commitTimes.isEmpty()) {
            GradeAll batch = new GradeAll();
            batch.basedir = basedir;
            batch.submissions = submissions.toString();
            batch.options = options;
            batch.seconds = seconds;
            batch.results = reports;
            batch.out = out;
            batch.workRoot = shardDir.resolve("copies");
            Files.createDirectories(batch.workRoot);
            batch.call();
            for (String student : commitTimes.keySet()) {
                scores.put(student, GradeAll.read(student, reports.resolve(student), 0, false));
            }
            // graded and seconds as grade-all saw them (its time limit included)
            for (String line : Files.readAllLines(reports.resolve("scores.csv")).stream().skip(1).toList()) {
                List<String> f = fields(line);
                GradeAll.Score s = scores.get(f.get(0));
                if (s != null) {
                    scores.put(s.student(), new GradeAll.Score(s.student(), s.score(), s.maxScore(), f.get(3).equals("true"),
                            Double.parseDouble(f.get(4)), f.get(5)));
                }
            }
        }
        StringBuilder text = new StringBuilder(HEADER + "\n");
        for (Entry e : mine) {
            for (String chapter : chapters) {
                text.append(row(e, chapter, reasons.get(e.student()), commitTimes.get(e.student()), scores.get(e.student()),
                        reports.resolve(e.student()))).append('\n');
            }
        }
        Files.writeString(shardDir.resolve("gradebook.csv"), text);
        double took = (System.nanoTime() - started) / 1e9;
        Files.writeString(shardDir.resolve("time.txt"), String.format(Locale.ROOT, "%d %.1f%n", mine.size(), took));
        Compilation.clean(submissions);
        Compilation.clean(shardDir.resolve("copies"));
        out.printf(Locale.ROOT, "class-grading: shard %d: %d students in %.1f s; rows: %s%n", shard, mine.size(), took,
                shardDir.resolve("gradebook.csv"));
        return 0;
    }

    /** One student's row for one chapter. */
    private static String row(Entry e, String chapter, String reason, String commitTime, GradeAll.Score score, Path reports)
            throws IOException {
        if (reason != null || score == null) {
            return String.join(",", GradeAll.csv(e.student()), GradeAll.csv(e.repository()), chapter, "", "", "false",
                    e.commit(), commitTime == null ? "" : commitTime, "", GradeAll.csv(reason != null ? reason : "not graded"));
        }
        double earned = 0;
        double max = 0;
        Set<String> notes = new LinkedHashSet<>();
        if (score.graded()) {
            JsonNode results = JSON.readTree(reports.resolve("results.json").toFile());
            for (JsonNode test : results.path("tests")) {
                if (!test.path("name").asText().startsWith(chapter + " › ")) {
                    continue;
                }
                earned += test.path("score").asDouble();
                max += test.path("max_score").asDouble();
                String output = test.path("output").asText("");
                if (output.startsWith("does not compile: ")) {
                    notes.add(output.lines().findFirst().orElse(""));
                }
            }
        }
        if (!score.note().isEmpty()) {
            notes.add(score.note());
        }
        return String.join(",", GradeAll.csv(e.student()), GradeAll.csv(e.repository()), chapter,
                score.graded() ? Scoreboard.points(Scoreboard.round(earned)) : "", score.graded() ? Scoreboard.points(Scoreboard.round(max)) : "",
                String.valueOf(score.graded()), e.commit(), commitTime, String.format(Locale.ROOT, "%.1f", score.seconds()),
                GradeAll.csv(String.join("; ", notes)));
    }

    private int merge(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve("plan.tsv"))) {
            out.println("class-grading: no plan in " + dir + " (the plan step writes it)");
            return 2;
        }
        List<String> chapters = Files.readAllLines(dir.resolve("chapters.txt")).stream().filter(s -> !s.isBlank()).toList();
        Map<String, String> rows = new LinkedHashMap<>(); // student,chapter -> row
        Map<Integer, String> times = new TreeMap<>();
        try (Stream<Path> shardDirs = Files.list(dir)) {
            for (Path shardDir : shardDirs.filter(p -> p.getFileName().toString().matches("shard-\\d+")).sorted().toList()) {
                Path book = shardDir.resolve("gradebook.csv");
                if (!Files.isRegularFile(book)) {
                    continue;
                }
                for (String line : Files.readAllLines(book).stream().skip(1).toList()) {
                    List<String> f = fields(line);
                    rows.put(f.get(0) + "," + f.get(2), line);
                }
                Path time = shardDir.resolve("time.txt");
                if (Files.isRegularFile(time)) {
                    times.put(Integer.parseInt(shardDir.getFileName().toString().substring(6)), Files.readString(time).strip());
                }
            }
        }
        // Every student and chapter has its row: one a shard did not deliver says so.
        Map<String, String> maxima = new LinkedHashMap<>();
        rows.values().forEach(r -> {
            List<String> f = fields(r);
            if (f.get(5).equals("true")) {
                maxima.putIfAbsent(f.get(2), f.get(4));
            }
        });
        StringBuilder text = new StringBuilder(HEADER + "\n");
        int missing = 0;
        int graded = 0;
        List<Entry> plan = readPlan(dir);
        for (Entry e : plan) {
            for (String chapter : chapters) {
                String r = rows.get(e.student() + "," + chapter);
                if (r == null) {
                    missing++;
                    r = String.join(",", GradeAll.csv(e.student()), GradeAll.csv(e.repository()), chapter, "", maxima.getOrDefault(chapter, ""),
                            "false", e.commit(), "", "", "not graded: shard " + e.shard() + " did not finish (re-run its failed job)");
                } else if (fields(r).get(5).equals("true")) {
                    graded++;
                } else if (fields(r).get(4).isEmpty() && maxima.containsKey(chapter)) {
                    List<String> f = new ArrayList<>(fields(r));
                    f.set(4, maxima.get(chapter));
                    r = String.join(",", f.stream().map(GradeAll::csv).toList());
                }
                text.append(r).append('\n');
            }
        }
        Files.writeString(dir.resolve("gradebook.csv"), text);
        StringBuilder summary = new StringBuilder("## Threadwork: the class's gradebook\n\n");
        summary.append(String.format(Locale.ROOT, "%d students, %d chapters: %d rows graded, %d not graded, %d missing from a shard"
                + " (graded at %s).%n%n", plan.size(), chapters.size(), graded, plan.size() * chapters.size() - graded - missing, missing,
                Instant.now().toString()));
        summary.append("| student | chapter | points | commit | note |\n|---|---|---|---|---|\n");
        for (String line : text.toString().lines().skip(1).toList()) {
            List<String> f = fields(line);
            summary.append("| ").append(f.get(0)).append(" | ").append(f.get(2)).append(" | ")
                    .append(f.get(5).equals("true") ? f.get(3) + "/" + f.get(4) : "not graded").append(" | ")
                    .append(f.get(6).isEmpty() ? "" : "`" + f.get(6).substring(0, Math.min(7, f.get(6).length())) + "`").append(" | ")
                    .append(f.get(9).replace("|", "\\|")).append(" |\n");
        }
        if (!times.isEmpty()) {
            summary.append("\nShards (students, seconds): ");
            times.forEach((s, t) -> summary.append(s).append(": ").append(t.replace(' ', '/')).append(" s  "));
            summary.append('\n');
        }
        Files.writeString(dir.resolve("summary.md"), summary);
        out.println("class-grading: gradebook " + dir.resolve("gradebook.csv") + ": " + plan.size() + " students, " + graded
                + " rows graded, " + missing + " missing from a shard");
        return missing == 0 ? 0 : 1;
    }

    /** The fields of one CSV line as GradeAll.csv writes them (RFC 4180 quoting). */
    static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
