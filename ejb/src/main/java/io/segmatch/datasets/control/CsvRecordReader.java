package io.segmatch.datasets.control;

import io.segmatch.shared.error.SegmatchException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;

/**
 * Streams the records of a CSV file (RFC 4180 quoting, any of {@code \n}, {@code \r\n},
 * {@code \r}) with the physical line on which each record starts. Blank lines and lines
 * whose fields are all empty are skipped; Apache Commons CSV does the parsing.
 */
public final class CsvRecordReader implements AutoCloseable {

    /** One record: the 1-based line on which it starts, and its raw (untrimmed) fields. */
    public record Record(long line, String[] fields) {
    }

    /** The longest record accepted, in characters: a stray quote must not swallow the file. */
    public static final int MAX_RECORD_CHARS = 1 << 20;

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final long lineOffset;
    private final LimitedReader limited;

    private CsvRecordReader(CSVParser parser, long lineOffset, LimitedReader limited) {
        this.parser = parser;
        this.records = parser.iterator();
        this.lineOffset = lineOffset;
        this.limited = limited;
    }

    public static CsvRecordReader open(InputStream in, CsvDialect dialect) throws IOException {
        long skipped = in.skip(dialect.bomLength());
        if (skipped != dialect.bomLength()) {
            throw new IOException("could not skip the byte-order mark");
        }
        Reader reader = new BufferedReader(new InputStreamReader(in, dialect.charset()), 1 << 16);
        long offset = 0;
        if (dialect.sepLine()) {
            skipLine(reader);
            offset = 1;
        }
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setDelimiter(dialect.delimiter())
                .setQuote('"')
                .setIgnoreEmptyLines(false)
                .setIgnoreSurroundingSpaces(false)
                .setTrim(false)
                .setRecordSeparator("\n")
                .get();
        LimitedReader limited = new LimitedReader(reader);
        return new CsvRecordReader(CSVParser.builder().setReader(limited).setFormat(format).get(), offset, limited);
    }

    /** The next non-blank record, or null at the end of the file. */
    public Record next() {
        while (true) {
            long startLine = parser.getCurrentLineNumber() + 1 + lineOffset;
            limited.startRecord(startLine);
            CSVRecord record;
            try {
                if (!records.hasNext()) {
                    return null;
                }
                record = records.next();
            } catch (UncheckedIOException | IllegalStateException e) {
                throw SegmatchException.invalid("malformed-csv",
                        "line " + startLine + ": the CSV cannot be read there (" + cause(e) + ")",
                        List.of(SegmatchException.FieldError.line(startLine, cause(e))));
            }
            String[] fields = record.values();
            if (!blank(fields)) {
                return new Record(startLine, fields);
            }
        }
    }

    /**
     * Counts the characters the parser reads for one record (give or take its read-ahead
     * buffer) and stops a record that grows past {@link #MAX_RECORD_CHARS}, so an unclosed
     * quote is reported instead of filling the memory with the rest of the file.
     */
    private static final class LimitedReader extends FilterReader {
        private long count;
        private long line;

        LimitedReader(Reader in) {
            super(in);
        }

        void startRecord(long startLine) {
            count = 0;
            line = startLine;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                counted(1);
            }
            return c;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) {
            count += n;
            if (count > MAX_RECORD_CHARS + (1 << 16)) {
                String message = "the record is longer than " + MAX_RECORD_CHARS
                        + " characters: is a double quote left open?";
                throw SegmatchException.invalid("malformed-csv", "line " + line + ": " + message,
                        List.of(SegmatchException.FieldError.line(line, message)));
            }
        }
    }

    private static boolean blank(String[] fields) {
        for (String f : fields) {
            if (!f.isBlank()) {
                return false;
            }
        }
        return true;
    }

    private static String cause(RuntimeException e) {
        Throwable t = e.getCause() != null ? e.getCause() : e;
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (message.contains("EOF reached before encapsulated token finished")) {
            return "a quoted field is never closed: check for a stray double quote";
        }
        if (message.contains("Invalid character between encapsulated token and delimiter")
                || message.contains("invalid char between encapsulated token and delimiter")) {
            return "text follows a closing double quote; write a double quote inside a quoted field as \"\"";
        }
        return message;
    }

    private static void skipLine(Reader reader) throws IOException {
        reader.mark(2);
        int c;
        while ((c = reader.read()) != -1) {
            if (c == '\n') {
                return;
            }
            if (c == '\r') {
                reader.mark(1);
                if (reader.read() != '\n') {
                    reader.reset();
                }
                return;
            }
            reader.mark(2);
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
