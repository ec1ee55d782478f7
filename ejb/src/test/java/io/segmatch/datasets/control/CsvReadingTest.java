package io.segmatch.datasets.control;

import io.segmatch.shared.error.SegmatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading CSV files: dialect and encoding detection, quoting, line endings and line numbers. */
class CsvReadingTest {

    record Read(CsvDialect dialect, List<CsvRecordReader.Record> records) {
        List<String> row(int i) {
            return Arrays.asList(records.get(i).fields());
        }

        long line(int i) {
            return records.get(i).line();
        }
    }

    static Read read(byte[] bytes, String encoding, String delimiter) throws IOException {
        try (SpooledUpload upload = SpooledUpload.of(bytes)) {
            CsvDialect dialect = CsvDialectSniffer.sniff(upload, encoding, delimiter);
            List<CsvRecordReader.Record> records = new ArrayList<>();
            try (var in = upload.open(); var reader = CsvRecordReader.open(in, dialect)) {
                CsvRecordReader.Record r;
                while ((r = reader.next()) != null) {
                    records.add(r);
                }
            }
            return new Read(dialect, records);
        }
    }

    static Read read(String text) throws IOException {
        return read(text.getBytes(StandardCharsets.UTF_8), null, null);
    }

    static byte[] concat(byte[] a, byte[] b) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {",", ";", "\t", "|"})
    void detectsEachDelimiter(String d) throws IOException {
        String text = String.join(d, "id", "name", "city") + "\n"
                + String.join(d, "1", "Ann", "Berlin") + "\n"
                + String.join(d, "2", "Ben", "Paris") + "\n";
        Read r = read(text);
        assertEquals(d.charAt(0), r.dialect().delimiter());
        assertEquals(List.of("2", "Ben", "Paris"), r.row(2));
    }

    @Test
    void delimiterInsideQuotesDoesNotFoolDetection() throws IOException {
        Read r = read("id;name\n1;\"Smith, John\"\n2;\"Doe, Jane\"\n");
        assertEquals(';', r.dialect().delimiter());
        assertEquals(List.of("1", "Smith, John"), r.row(1));
    }

    @Test
    void explicitDelimiterOverridesDetection() throws IOException {
        Read r = read("a,b;c\n1,2;3\n".getBytes(StandardCharsets.UTF_8), null, ";");
        assertEquals(';', r.dialect().delimiter());
        assertEquals(List.of("a,b", "c"), r.row(0));
        assertEquals('\t', CsvDialectSniffer.delimiter("tab"));
    }

    @Test
    void rfc4180QuotingWithDelimitersQuotesAndLineBreaks() throws IOException {
        Read r = read("id,note,city\n1,\"a, b\",X\n2,\"she said \"\"hi\"\"\",Y\n3,\"two\nlines\",Z\n4,plain,W\n");
        assertEquals(List.of("1", "a, b", "X"), r.row(1));
        assertEquals(List.of("2", "she said \"hi\"", "Y"), r.row(2));
        assertEquals(List.of("3", "two\nlines", "Z"), r.row(3));
        assertEquals(4, r.line(3), "a record spanning lines counts the line where it starts");
        assertEquals(6, r.line(4), "the record after a two-line record starts on line 6");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n", "\r"})
    void everyLineEndingWorksAndLinesAreCounted(String eol) throws IOException {
        Read r = read("id,name" + eol + "1,a" + eol + eol + "2,\"b" + eol + "c\"" + eol + "3,d" + eol);
        assertEquals(4, r.records().size(), "the blank line is skipped");
        assertEquals(List.of(1L, 2L, 4L, 6L), r.records().stream().map(CsvRecordReader.Record::line).toList());
        assertEquals("b" + eol, r.row(2).get(1).substring(0, 1 + eol.length()));
    }

    @Test
    void excelSepLineIsHonouredAndSkipped() throws IOException {
        Read r = read("sep=|\r\nid|name\r\n1|a,b\r\n");
        assertEquals('|', r.dialect().delimiter());
        assertTrue(r.dialect().sepLine());
        assertEquals(List.of("id", "name"), r.row(0));
        assertEquals(2, r.line(0), "line numbers are physical lines of the file, the sep= line being line 1");
        assertEquals(List.of("1", "a,b"), r.row(1));
    }

    @Test
    void excelSepLineWithATab() throws IOException {
        Read r = read("sep=\t\nid\tname\n1\ta;b\n");
        assertEquals('\t', r.dialect().delimiter());
        assertEquals(List.of("1", "a;b"), r.row(1));
    }

    @Test
    void aStrayQuoteDoesNotSwallowTheRestOfTheFile() {
        StringBuilder text = new StringBuilder("id,note\n1,ok\n2,\"stray\n");
        for (int i = 3; i < 60_000; i++) {
            text.append(i).append(",some note that goes on for a while\n");
        }
        var e = assertThrows(SegmatchException.class, () -> read(text.toString()));
        assertEquals("malformed-csv", e.type());
        assertEquals(3L, e.errors().get(0).line());
        assertTrue(e.getMessage().contains("double quote"), e.getMessage());
    }

    @Test
    void utf8WithAndWithoutBom() throws IOException {
        byte[] text = "id,name\n1,Zoë\n".getBytes(StandardCharsets.UTF_8);
        Read plain = read(text, null, null);
        Read bom = read(concat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, text), null, null);
        for (Read r : List.of(plain, bom)) {
            assertEquals("UTF-8", r.dialect().encodingName());
            assertEquals(List.of("id", "name"), r.row(0), "the BOM is not part of the first name");
            assertEquals("Zoë", r.row(1).get(1));
        }
    }

    @Test
    void utf16WithBomBothByteOrders() throws IOException {
        String text = "id;name\n1;Łukasz\n";
        Read le = read(concat(new byte[]{(byte) 0xFF, (byte) 0xFE}, text.getBytes(StandardCharsets.UTF_16LE)), null, null);
        Read be = read(concat(new byte[]{(byte) 0xFE, (byte) 0xFF}, text.getBytes(StandardCharsets.UTF_16BE)), null, null);
        assertEquals("UTF-16LE", le.dialect().encodingName());
        assertEquals("UTF-16BE", be.dialect().encodingName());
        for (Read r : List.of(le, be)) {
            assertEquals(';', r.dialect().delimiter());
            assertEquals(List.of("1", "Łukasz"), r.row(1));
        }
    }

    @Test
    void invalidUtf8IsReadAsWindows1252() throws IOException {
        Read r = read("id,name,price\n1,Jos\u00e9 M\u00fcller,\u20ac5\n".getBytes(Charset.forName("windows-1252")), null, null);
        assertEquals("windows-1252", r.dialect().encodingName());
        assertEquals(List.of("1", "José Müller", "€5"), r.row(1));
    }

    @Test
    void explicitEncodingOverridesDetection() throws IOException {
        byte[] bytes = "id,name\n1,Zoë\n".getBytes(StandardCharsets.ISO_8859_1);
        Read r = read(bytes, "ISO-8859-1", null);
        assertEquals("ISO-8859-1", r.dialect().encodingName());
        assertEquals("Zoë", r.row(1).get(1));
        var e = assertThrows(SegmatchException.class, () -> read(bytes, "klingon-8", null));
        assertEquals("encoding", e.errors().get(0).field());
    }

    @Test
    void raggedRowsAreReadAsTheyAre() throws IOException {
        Read r = read("id,a,b\n1,x\n2,x,y,z\n");
        assertEquals(2, r.row(1).size());
        assertEquals(4, r.row(2).size());
    }

    @Test
    void rowsOfOnlyEmptyFieldsAreSkippedLikeBlankLines() throws IOException {
        Read r = read("id,a\n1,x\n,\n  \n2,y\n");
        assertEquals(3, r.records().size());
        assertEquals(5, r.line(2));
    }

    @Test
    void anUnclosedQuoteNamesTheLineWhereTheRecordStarts() {
        var e = assertThrows(SegmatchException.class, () -> read("id,a\n1,x\n2,\"open\n3,y\n"));
        assertEquals("malformed-csv", e.type());
        assertEquals(3L, e.errors().get(0).line());
    }

    @Test
    void binaryAndEmptyBodiesAreNotCsv() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0};
        for (byte[] body : List.of(png, zip, new byte[0], "\n\n  \r\n".getBytes(StandardCharsets.UTF_8),
                new byte[]{'i', 'd', 0, 1, 2, 0})) {
            var e = assertThrows(SegmatchException.class, () -> read(body, null, null));
            assertEquals("not-csv", e.type(), e.getMessage());
        }
    }

    @Test
    void utf8ValidatorRejectsOverlongAndSurrogates() {
        assertFalse(valid(0xC0, 0xAF));
        assertFalse(valid(0xED, 0xA0, 0x80));
        assertFalse(valid(0xE2, 0x82));
        assertTrue(valid(0xE2, 0x82, 0xAC));
        assertTrue(valid(0xF0, 0x9F, 0x98, 0x80));
    }

    private static boolean valid(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        var v = new Utf8Validator();
        // fed one byte at a time, as chunk boundaries may fall inside a character
        for (int i = 0; i < b.length; i++) {
            v.update(b, i, 1);
        }
        return v.finish();
    }

    @Test
    void readsByteForByteWhatWasWritten() throws IOException {
        Read r = read("id,v\n1,\"  padded  \"\n");
        assertArrayEquals(new String[]{"1", "  padded  "}, r.records().get(1).fields(), "trimming happens later");
    }
}
