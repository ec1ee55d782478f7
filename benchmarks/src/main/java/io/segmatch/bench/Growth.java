package io.segmatch.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sets benchmark runs side by side and checks every target against their figures
 * ({@link Figures}, each run's {@code figures.tsv}): the 1M runs' own bars, each phase of a
 * larger run against each 1M run (at most 11 times as long: linear, no cliff), and a run with
 * more segments against each 10-segment run of its size (its incremental run at most 5 times
 * as long). Every pairing is checked and printed, none picked; then how much the same work
 * varied between runs of one size ({@link #spread}), unchecked.
 *
 * <pre>java -cp benchmarks/target/segmatch-benchmarks.jar io.segmatch.bench.Growth DIR|FILE...</pre>
 *
 * Each argument is a run's {@code --dir} (its {@code figures.tsv}) or the file itself. Exits
 * with 1 when a target is missed, 2 when the arguments are wrong.
 */
public final class Growth {

    /** How a phase is judged. */
    enum Bar {
        /** the run's seconds at most {@code limit} (1M runs only) */
        SECONDS,
        /** milliseconds, at most {@code limit} (1M runs only) */
        MILLIS,
        /** the phase's seconds against the run's own reference load, at most {@code limit} times (1M runs only) */
        REFERENCE,
        /** megabytes, at most {@code limit} in every run */
        MEGABYTES,
        /** no bar of its own */
        NONE
    }

    /**
     * A measured phase: its name in {@code figures.tsv}, its label, its bar, and whether a larger
     * run's time for it is held to the growth bar ({@link #GROWTH}).
     */
    record Phase(String name, String label, Bar bar, double limit, boolean grows) {
    }

    /** A larger run's phase may take at most this many times its 1M time. */
    static final double GROWTH = 11;
    /** The incremental run with more segments may take at most this many times the 10-segment one. */
    static final double SEGMENT_GROWTH = 5;
    /** The size the absolute bars are set for. */
    static final int BASE_ROWS = 1_000_000;
    static final int BASE_SEGMENTS = 10;

    static final List<Phase> PHASES = List.of(
            new Phase("reference", "PostgreSQL alone: COPY of the file, the same jsonb rows and key (reference)", Bar.NONE, 0, false),
            new Phase("upload", "first upload (× reference)", Bar.REFERENCE, 1.25, true),
            new Phase("build", "first build of the segments (the runs)", Bar.NONE, 0, true),
            new Phase("rebuild", "full rebuild of the segments (the runs)", Bar.SECONDS, 9, true),
            new Phase("reupload", "re-upload with 10% changed (× reference)", Bar.REFERENCE, 1.4, true),
            new Phase("incremental", "incremental run for the changed rows (the run's own time)", Bar.SECONDS, 3, true),
            new Phase("caught-up", "from the re-upload's response until no change is pending", Bar.SECONDS, 10, true),
            new Phase("preview-10k-p50", "preview of the first 10,000 rows, p50, ms", Bar.NONE, 0, true),
            new Phase("preview-10k-p95", "preview of the first 10,000 rows, p95, ms", Bar.MILLIS, 20, true),
            new Phase("preview-all-p50", "preview of all rows (3 conditions), p50, ms", Bar.MILLIS, 300, true),
            new Phase("preview-all-p95", "preview of all rows (3 conditions), p95, ms", Bar.NONE, 0, true),
            new Phase("google-first", "first sync of the 'de' segment to Google, until the list holds it", Bar.SECONDS, 10, true),
            new Phase("google-first-plan", "plan of Google's first sync", Bar.NONE, 0, true),
            new Phase("google-after-10pct", "after 10% of its members changed, until the list is in step", Bar.NONE, 0, true),
            new Phase("meta-first", "first sync of the segment to Meta, until the audience holds it", Bar.SECONDS, 10, true),
            new Phase("meta-first-plan", "plan of Meta's first sync", Bar.NONE, 0, true),
            new Phase("every-row-first", "first sync of a segment of every row, until the list holds it", Bar.SECONDS, 30, true),
            new Phase("every-row-first-plan", "plan of the every-row segment's first sync", Bar.NONE, 0, true),
            new Phase("emails-plan-removes", "plan of the sync after 1,000 members got a new email (removes)", Bar.SECONDS, 1, true),
            new Phase("emails-plan-adds", "plan of the sync after it (adds)", Bar.SECONDS, 1, true),
            new Phase("emails-in-step", "until the list is in step after those 1,000 changes", Bar.NONE, 0, true),
            new Phase("every-row-ack", "Google's acknowledgement of every row, recorded (its jobs' recordings, summed)", Bar.NONE, 0, true),
            new Phase("every-row-build", "the every-row segment built (the runs)", Bar.NONE, 0, true),
            new Phase("heap-peak", "server heap: peak in use, MB", Bar.MEGABYTES, 512, false),
            new Phase("heap-live", "server heap: most live after a collection, MB", Bar.MEGABYTES, 512, false),
            new Phase("disk-per-row", "disk per dataset row, bytes", Bar.NONE, 0, false),
            new Phase("probe-min", "the machine: a fixed piece of PostgreSQL work before each phase, fastest, ms", Bar.NONE, 0, false),
            new Phase("probe-max", "the machine: the same work, slowest, ms", Bar.NONE, 0, false));

    /** A run and the name it is shown by. */
    record Run(String name, Figures figures) {
    }

    /** One target checked: where, what, the figure, the bar, and whether the figure meets it. */
    record Check(String run, String phase, double value, String bar, boolean met) {

        String line() {
            return String.format(Locale.ROOT, "%-5s %s: %s: %s (%s)", met ? "met" : "MISS", run, phase,
                    format(value), bar);
        }
    }

    private Growth() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: Growth DIR|figures.tsv ... (the runs to set side by side)");
            System.exit(2);
        }
        List<Run> runs = new ArrayList<>();
        for (String arg : args) {
            Path path = Path.of(arg);
            Path file = Files.isDirectory(path) ? path.resolve(Figures.FILE) : path;
            Path named = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
            runs.add(new Run(named == null || named.getFileName() == null ? arg : named.getFileName().toString(),
                    Figures.read(file)));
        }
        List<Check> checks = checks(runs);
        System.out.print(table(runs));
        String spread = spread(runs);
        if (!spread.isEmpty()) {
            System.out.println();
            System.out.print(spread);
        }
        long missed = checks.stream().filter(c -> !c.met()).count();
        System.out.println();
        checks.forEach(c -> System.out.println(c.line()));
        System.out.printf(Locale.ROOT, "%d targets checked, %d met, %d missed%n", checks.size(), checks.size() - missed, missed);
        System.exit(missed == 0 ? 0 : 1);
    }

    /**
     * Every target the runs can be checked against: each 1M 10-segment run's own bars; the
     * heap of every run; each phase of every larger 10-segment run against each 1M 10-segment
     * run; the incremental run of every run with more segments against each 10-segment run of
     * its size. A phase a run did not measure is not checked.
     */
    static List<Check> checks(List<Run> runs) {
        List<Check> checks = new ArrayList<>();
        List<Run> bases = runs.stream().filter(r -> base(r.figures())).toList();
        for (Run run : runs) {
            Figures f = run.figures();
            for (Phase phase : PHASES) {
                Double value = f.get(phase.name());
                if (value == null) {
                    continue;
                }
                if (phase.bar() == Bar.MEGABYTES) {
                    checks.add(new Check(run.name(), phase.label(), value, "≤ " + format(phase.limit()) + " MB",
                            value <= phase.limit()));
                } else if (base(f) && phase.bar() == Bar.REFERENCE && f.get("reference") != null) {
                    double ratio = value / f.get("reference");
                    checks.add(new Check(run.name(), phase.label(), ratio, "≤ " + format(phase.limit()) + " × the reference",
                            ratio <= phase.limit()));
                } else if (base(f) && (phase.bar() == Bar.SECONDS || phase.bar() == Bar.MILLIS)) {
                    String unit = phase.bar() == Bar.SECONDS ? " s" : " ms";
                    checks.add(new Check(run.name(), phase.label(), value, "≤ " + format(phase.limit()) + unit,
                            value <= phase.limit()));
                }
            }
            if (f.segments() == BASE_SEGMENTS && f.rows() > BASE_ROWS) {
                for (Run base : bases) {
                    for (Phase phase : PHASES) {
                        Double large = f.get(phase.name());
                        Double small = base.figures().get(phase.name());
                        if (!phase.grows() || large == null || small == null || small <= 0) {
                            continue;
                        }
                        double ratio = large / small;
                        checks.add(new Check(run.name() + " against " + base.name(), phase.label(), ratio,
                                "≤ " + format(GROWTH) + " × its " + format(base.figures().rows()) + "-row time", ratio <= GROWTH));
                    }
                }
            }
            if (f.segments() > BASE_SEGMENTS && f.get("incremental") != null) {
                for (Run other : runs) {
                    Figures o = other.figures();
                    if (o.segments() == BASE_SEGMENTS && o.rows() == f.rows() && o.get("incremental") != null) {
                        double ratio = f.get("incremental") / o.get("incremental");
                        checks.add(new Check(run.name() + " against " + other.name(), "incremental run with "
                                + f.segments() + " segments", ratio, "≤ " + format(SEGMENT_GROWTH) + " × the "
                                + BASE_SEGMENTS + "-segment run", ratio <= SEGMENT_GROWTH));
                    }
                }
            }
        }
        return checks;
    }

    /** Every figure of every run, one line a phase, with each larger run's growth against each 1M run. */
    static String table(List<Run> runs) {
        StringBuilder out = new StringBuilder("| phase (seconds, but where it says otherwise) |");
        List<Run> bases = runs.stream().filter(r -> base(r.figures())).toList();
        for (Run run : runs) {
            out.append(' ').append(run.name()).append(" (").append(format(run.figures().rows())).append(" rows, ")
                    .append(run.figures().segments()).append(" segments) |");
        }
        out.append('\n').append("|---|").append("---|".repeat(runs.size())).append('\n');
        for (Phase phase : PHASES) {
            if (runs.stream().allMatch(r -> r.figures().get(phase.name()) == null)) {
                continue;
            }
            out.append("| ").append(phase.label()).append(" |");
            for (Run run : runs) {
                Double value = run.figures().get(phase.name());
                out.append(' ').append(value == null ? "–" : format(value));
                Double reference = run.figures().get("reference");
                if (value != null && phase.bar() == Bar.REFERENCE && reference != null) {
                    out.append(" = ").append(String.format(Locale.ROOT, "%.2f", value / reference)).append(" ×");
                }
                // the reference's growth too, unchecked: how the machine itself grew over the same load
                boolean grows = phase.grows() || phase.name().equals("reference");
                if (value != null && grows && run.figures().rows() > BASE_ROWS && run.figures().segments() == BASE_SEGMENTS) {
                    List<String> ratios = new ArrayList<>();
                    for (Run base : bases) {
                        Double small = base.figures().get(phase.name());
                        if (small != null && small > 0) {
                            ratios.add(String.format(Locale.ROOT, "%.1f", value / small));
                        }
                    }
                    if (!ratios.isEmpty()) {
                        out.append(" (").append(String.join(", ", ratios)).append(" ×)");
                    }
                }
                out.append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * How much the same work varied between runs of one size (rows and segments) on this
     * machine, phase by phase: the fastest and the slowest run and the one's time over the
     * other's. Not a target: the margin a growth ratio needs. A 10M phase that grows by 10
     * times is held to 11 times against each 1M run, so a machine on which the same 1M phase
     * varies by more than 10 % can miss it with nothing changed. Empty when no size has two
     * runs.
     */
    static String spread(List<Run> runs) {
        Map<String, List<Run>> sizes = new LinkedHashMap<>();
        for (Run run : runs) {
            sizes.computeIfAbsent(format(run.figures().rows()) + " rows, " + run.figures().segments() + " segments",
                    k -> new ArrayList<>()).add(run);
        }
        sizes.values().removeIf(group -> group.size() < 2);
        if (sizes.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("| the same work in runs of one size: fastest – slowest (slowest / fastest) |");
        sizes.forEach((size, group) -> out.append(' ').append(size).append(" (").append(group.size()).append(" runs) |"));
        out.append('\n').append("|---|").append("---|".repeat(sizes.size())).append('\n');
        for (Phase phase : PHASES) {
            if (phase.bar() == Bar.MEGABYTES || phase.name().equals("disk-per-row")) {
                continue;
            }
            StringBuilder line = new StringBuilder("| ").append(phase.label()).append(" |");
            boolean any = false;
            for (List<Run> group : sizes.values()) {
                List<Double> values = group.stream().map(r -> r.figures().get(phase.name()))
                        .filter(v -> v != null && v > 0).sorted().toList();
                if (values.size() < 2) {
                    line.append(" – |");
                    continue;
                }
                any = true;
                double fastest = values.get(0);
                double slowest = values.get(values.size() - 1);
                line.append(' ').append(format(fastest)).append(" – ").append(format(slowest))
                        .append(String.format(Locale.ROOT, " (%.2f ×)", slowest / fastest)).append(" |");
            }
            if (any) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static boolean base(Figures f) {
        return f.rows() == BASE_ROWS && f.segments() == BASE_SEGMENTS;
    }

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
