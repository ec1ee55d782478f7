package io.segmatch.segments.api;

import io.segmatch.membership.store.MemberHistory.Point;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The member chart: well-formed SVG whose line and bars follow the history's numbers. */
class MemberChartTest {

    static final List<Point> HISTORY = List.of(
            new Point(1, Instant.parse("2026-11-01T10:00:00Z"), 100, 0, 100),
            new Point(2, Instant.parse("2026-11-02T10:00:00Z"), 20, 70, 50),
            new Point(3, Instant.parse("2026-11-03T10:00:00Z"), 0, 50, 0));

    static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theLineStepsThroughEachRunsCountAndTheBarsMatchEntersAndExits() throws Exception {
        String svg = MemberChart.svg(HISTORY);
        var doc = parse(svg);
        String path = doc.getElementsByTagName("path").item(0).getAttributes().getNamedItem("d").getNodeValue();
        // from 0 before the first run, up to the top (100 = the maximum), half way (50), back to 0
        assertTrue(path.startsWith("M64 150.0"), path);
        assertTrue(path.contains("V16.0") && path.contains("V83.0") && path.endsWith("V150.0 H704"), path);
        var groups = doc.getElementsByTagName("g");
        assertEquals(3, groups.getLength(), "one group of bars per run");
        assertEquals("run 2, 2 Nov 2026 10:00 UTC: 20 entered, 70 left, 50 members",
                groups.item(1).getFirstChild().getTextContent());
        // bar heights are proportional: 100 entered fills the half band (30 px), 70 left is 21 px
        var bars = doc.getElementsByTagName("rect");
        assertEquals("30.0", bars.item(1).getAttributes().getNamedItem("height").getNodeValue());
        assertEquals("21.0", bars.item(4).getAttributes().getNamedItem("height").getNodeValue());
    }

    @Test
    void theSummarySaysItInWords() {
        assertEquals("Members over the last 3 runs that changed the segment: from 0 to 0 (120 entered, 120 left).",
                MemberChart.summary(HISTORY));
        assertEquals("No run has changed this segment yet.", MemberChart.summary(List.of()));
    }

    @Test
    void anEmptyHistoryIsStillAPicture() throws Exception {
        var doc = parse(MemberChart.svg(List.of()));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertTrue(doc.getDocumentElement().getTextContent().contains("No run has changed this segment yet."));
    }
}
