package io.segmatch.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures one benchmark run measured, by name ({@link Growth#PHASES}), in the order it
 * measured them: written next to the run's CSVs as {@code figures.tsv} (the rows and segments
 * first), so that {@link Growth} can set runs of different sizes side by side.
 */
final class Figures {

    static final String FILE = "figures.tsv";

    private final int rows;
    private final int segments;
    private final Map<String, Double> values = new LinkedHashMap<>();

    Figures(int rows, int segments) {
        this.rows = rows;
        this.segments = segments;
    }

    /** The figures of the run in progress (one run per JVM). */
    static Figures current = new Figures(0, 0);

    int rows() {
        return rows;
    }

    int segments() {
        return segments;
    }

    /** Records a figure; a later one of the same name replaces it. */
    void put(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + ": " + value);
        }
        values.put(name, value);
    }

    /**
     * Records one reading of the machine probe ({@link BenchDatabase#probe}): the fastest and the
     * slowest of the run so far ({@code probe-min}, {@code probe-max}, ms).
     */
    void probe(double millis) {
        Double min = values.get("probe-min");
        Double max = values.get("probe-max");
        put("probe-min", min == null ? millis : Math.min(min, millis));
        put("probe-max", max == null ? millis : Math.max(max, millis));
    }

    /** The figure, or null when the run did not measure it (a run stopped early). */
    Double get(String name) {
        return values.get(name);
    }

    Map<String, Double> values() {
        return Map.copyOf(values);
    }

    void write(Path file) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("rows\t").append(rows).append('\n').append("segments\t").append(segments).append('\n');
        values.forEach((name, value) -> out.append(name).append('\t').append(String.format(Locale.ROOT, "%.4f", value)).append('\n'));
        Files.writeString(file, out, StandardCharsets.UTF_8);
    }

    static Figures read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, String> raw = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab < 0) {
                throw new IOException(file + ": not a name and a value: " + line);
            }
            raw.put(line.substring(0, tab), line.substring(tab + 1));
        }
        if (!raw.containsKey("rows") || !raw.containsKey("segments")) {
            throw new IOException(file + ": no rows or segments line");
        }
        Figures figures = new Figures(Integer.parseInt(raw.remove("rows")), Integer.parseInt(raw.remove("segments")));
        raw.forEach((name, value) -> figures.put(name, Double.parseDouble(value)));
        return figures;
    }
}
