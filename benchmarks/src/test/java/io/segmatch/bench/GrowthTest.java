package io.segmatch.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrowthTest {

    private static Figures run(int rows, int segments, Map<String, Double> values) {
        Figures f = new Figures(rows, segments);
        values.forEach(f::put);
        return f;
    }

    /** The checks of {@code runs}, by "run | phase" → met. */
    private static Map<String, Boolean> checks(Growth.Run... runs) {
        return Growth.checks(List.of(runs)).stream()
                .collect(Collectors.toMap(c -> c.run() + " | " + c.phase(), Growth.Check::met));
    }

    private static String label(String name) {
        return Growth.PHASES.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().label();
    }

    @Test
    void aMillionRowRunIsHeldToItsOwnBars() {
        Figures f = run(1_000_000, 10, Map.of("reference", 10.0, "upload", 13.0, "reupload", 13.9, "rebuild", 9.1,
                "incremental", 2.9, "preview-all-p50", 310.0, "preview-10k-p95", 19.0, "heap-peak", 513.0, "build", 50.0));
        Map<String, Boolean> checks = checks(new Growth.Run("a", f));
        assertEquals(Boolean.FALSE, checks.get("a | " + label("upload")), "1.30 × the reference misses 1.25 ×");
        assertEquals(Boolean.TRUE, checks.get("a | " + label("reupload")), "1.39 × meets 1.4 ×");
        assertEquals(Boolean.FALSE, checks.get("a | " + label("rebuild")), "9.1 s misses 9 s");
        assertEquals(Boolean.TRUE, checks.get("a | " + label("incremental")));
        assertEquals(Boolean.FALSE, checks.get("a | " + label("preview-all-p50")), "310 ms misses 300 ms");
        assertEquals(Boolean.TRUE, checks.get("a | " + label("preview-10k-p95")));
        assertEquals(Boolean.FALSE, checks.get("a | " + label("heap-peak")), "513 MB misses 512 MB");
        assertFalse(checks.containsKey("a | " + label("build")), "the build has no bar of its own");
        assertFalse(checks.containsKey("a | " + label("caught-up")), "a phase not measured is not checked");
        assertEquals(7, checks.size());
    }

    @Test
    void aLargerRunIsCheckedAgainstEveryMillionRowRun() {
        Figures fast = run(1_000_000, 10, Map.of("reference", 10.0, "rebuild", 2.5, "upload", 11.0));
        Figures slow = run(1_000_000, 10, Map.of("reference", 12.0, "rebuild", 3.0, "upload", 12.0));
        Figures large = run(10_000_000, 10, Map.of("reference", 125.0, "rebuild", 30.0, "upload", 125.0, "heap-peak", 500.0));
        Map<String, Boolean> checks = checks(new Growth.Run("x", large), new Growth.Run("a", fast), new Growth.Run("b", slow));
        assertEquals(Boolean.FALSE, checks.get("x against a | " + label("rebuild")), "12.0 × misses 11 ×");
        assertEquals(Boolean.TRUE, checks.get("x against b | " + label("rebuild")), "10.0 × meets 11 ×");
        assertEquals(Boolean.FALSE, checks.get("x against a | " + label("upload")), "11.4 × misses 11 ×");
        assertEquals(Boolean.TRUE, checks.get("x against b | " + label("upload")), "10.4 × meets 11 ×");
        assertFalse(checks.containsKey("x against a | " + label("reference")), "the reference is PostgreSQL's, not a phase");
        assertFalse(checks.containsKey("x | " + label("upload")), "the 1.25 × bar is the 1M run's");
        assertEquals(Boolean.TRUE, checks.get("x | " + label("heap-peak")), "the heap bar holds at every size");
    }

    @Test
    void moreSegmentsAreCheckedAgainstTheTenSegmentRunsOfTheirSize() {
        Figures ten = run(1_000_000, 10, Map.of("incremental", 1.0));
        Figures slower = run(1_000_000, 10, Map.of("incremental", 0.9));
        Figures hundred = run(1_000_000, 100, Map.of("incremental", 4.9, "rebuild", 30.0));
        Figures large = run(10_000_000, 10, Map.of("incremental", 9.0));
        Map<String, Boolean> checks = checks(new Growth.Run("h", hundred), new Growth.Run("a", ten),
                new Growth.Run("b", slower), new Growth.Run("x", large));
        assertEquals(Boolean.TRUE, checks.get("h against a | incremental run with 100 segments"), "4.9 × meets 5 ×");
        assertEquals(Boolean.FALSE, checks.get("h against b | incremental run with 100 segments"), "5.4 × misses 5 ×");
        assertFalse(checks.containsKey("h against x | incremental run with 100 segments"), "another size");
        assertFalse(checks.containsKey("h | " + label("rebuild")), "the 9 s bar is the 10-segment run's");
    }

    @Test
    void figuresSurviveTheirFile(@TempDir Path dir) throws Exception {
        Figures f = run(10_000_000, 10, Map.of("reference", 125.125, "preview-all-p50", 1448.2));
        Path file = dir.resolve(Figures.FILE);
        f.write(file);
        Figures read = Figures.read(file);
        assertEquals(10_000_000, read.rows());
        assertEquals(10, read.segments());
        assertEquals(f.values(), read.values());
        assertTrue(Growth.table(List.of(new Growth.Run("x", read))).contains("| 1448.2 |"));
    }

    @Test
    void theSpreadOfTheSameWorkIsShownForEachSizeWithTwoRuns() {
        Figures a = run(1_000_000, 10, Map.of("rebuild", 2.70, "build", 9.0, "heap-peak", 480.0));
        Figures b = run(1_000_000, 10, Map.of("rebuild", 3.45, "build", 9.9, "heap-peak", 490.0));
        Figures x = run(10_000_000, 10, Map.of("rebuild", 24.03));
        Figures y = run(10_000_000, 10, Map.of("rebuild", 37.36));
        Figures alone = run(1_000_000, 100, Map.of("rebuild", 20.0));
        String spread = Growth.spread(List.of(new Growth.Run("a", a), new Growth.Run("x", x), new Growth.Run("b", b),
                new Growth.Run("y", y), new Growth.Run("h", alone)));
        assertTrue(spread.contains("| " + label("rebuild") + " | 2.70 – 3.45 (1.28 ×) | 24.03 – 37.36 (1.55 ×) |"), spread);
        assertTrue(spread.contains("| " + label("build") + " | 9.00 – 9.90 (1.10 ×) | – |"), spread);
        assertFalse(spread.contains("100 segments"), "one run of a size has no spread");
        assertFalse(spread.contains(label("heap-peak")), "the heap has a bar of its own, not a time");
        assertEquals("", Growth.spread(List.of(new Growth.Run("a", a), new Growth.Run("x", x))));
    }

    @Test
    void theMachineProbeKeepsTheFastestAndTheSlowestReading() {
        Figures f = new Figures(1_000_000, 10);
        f.probe(310.0);
        f.probe(290.5);
        f.probe(402.25);
        f.probe(300.0);
        assertEquals(290.5, f.get("probe-min"));
        assertEquals(402.25, f.get("probe-max"));
        Figures other = new Figures(1_000_000, 10);
        other.probe(580.0);
        String spread = Growth.spread(List.of(new Growth.Run("a", f), new Growth.Run("b", other)));
        assertTrue(spread.contains("| " + label("probe-min") + " | 290.5 – 580.0 (2.00 ×) |"), spread);
    }
}
