package io.segmatch.datasets.control;

import io.segmatch.shared.error.SegmatchException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides how to read an uploaded file (docs/datasets.md, "Reading"): refuses what is not
 * CSV text at all, detects the encoding from the byte-order mark or the bytes, and the
 * delimiter among {@code , ; tab |} from the first records, honouring overrides.
 */
public final class CsvDialectSniffer {

    static final char[] CANDIDATES = {',', ';', '\t', '|'};
    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final int SAMPLE_RECORDS = 50;

    private CsvDialectSniffer() {
    }

    public static CsvDialect sniff(SpooledUpload upload, String encodingOverride, String delimiterOverride) {
        byte[] head = upload.head();
        rejectNonText(upload.size(), head);

        int bom = 0;
        Charset charset;
        String name;
        if (startsWith(head, 0xEF, 0xBB, 0xBF)) {
            bom = 3;
            charset = StandardCharsets.UTF_8;
            name = "UTF-8";
        } else if (startsWith(head, 0xFF, 0xFE)) {
            bom = 2;
            charset = StandardCharsets.UTF_16LE;
            name = "UTF-16LE";
        } else if (startsWith(head, 0xFE, 0xFF)) {
            bom = 2;
            charset = StandardCharsets.UTF_16BE;
            name = "UTF-16BE";
        } else if (upload.validUtf8()) {
            charset = StandardCharsets.UTF_8;
            name = "UTF-8";
        } else {
            charset = WINDOWS_1252;
            name = "windows-1252";
        }
        if (encodingOverride != null && !encodingOverride.isBlank()) {
            charset = charset(encodingOverride);
            name = charset.name();
            bom = bomFor(charset, head);
        }
        if (bom == 0 && hasNulBytes(head) && !name.startsWith("UTF-16")) {
            throw notCsv("The file contains NUL bytes: it is binary data or UTF-16 text without a byte-order mark."
                    + " Save it as UTF-8 CSV, or pass encoding=UTF-16LE.");
        }

        String text = decodeHead(head, bom, charset, upload.size() > head.length);
        if (text.isBlank()) {
            throw notCsv("The file is empty: a CSV upload needs a header line and rows.");
        }
        boolean sepLine = false;
        Character declared = null;
        String firstLine = text.lines().findFirst().orElse("");
        String sep = firstLine.replace(" ", ""); // "sep=X"; X may be a tab, so no strip()
        if (sep.regionMatches(true, 0, "sep=", 0, 4) && sep.length() == 5) {
            sepLine = true;
            declared = sep.charAt(4);
            text = text.substring(firstLine.length());
        }
        char delimiter;
        if (delimiterOverride != null && !delimiterOverride.isEmpty()) {
            delimiter = delimiter(delimiterOverride);
        } else if (declared != null) {
            delimiter = declared;
        } else {
            delimiter = detectDelimiter(text);
        }
        return new CsvDialect(charset, name, bom, delimiter, sepLine);
    }

    /** Parses a {@code delimiter} parameter: one character, or {@code tab} / {@code \t}. */
    public static char delimiter(String value) {
        if (value.equalsIgnoreCase("tab") || value.equals("\\t") || value.equals("\t")) {
            return '\t';
        }
        if (value.length() != 1 || value.charAt(0) == '"' || value.charAt(0) == '\n' || value.charAt(0) == '\r') {
            throw SegmatchException.invalid("invalid-parameter", "delimiter must be one character such as , ; | or tab",
                    List.of(SegmatchException.FieldError.field("delimiter", "not a usable delimiter: '" + value + "'")));
        }
        return value.charAt(0);
    }

    static Charset charset(String value) {
        try {
            String v = value.trim();
            if (v.equalsIgnoreCase("latin1") || v.equalsIgnoreCase("cp1252")) {
                v = "windows-1252";
            }
            return Charset.forName(v);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw SegmatchException.invalid("invalid-parameter", "unknown encoding: " + value,
                    List.of(SegmatchException.FieldError.field("encoding",
                            "unknown encoding '" + value + "' (try UTF-8, UTF-16LE, UTF-16BE or windows-1252)")));
        }
    }

    private static int bomFor(Charset charset, byte[] head) {
        if (charset.equals(StandardCharsets.UTF_8) && startsWith(head, 0xEF, 0xBB, 0xBF)) {
            return 3;
        }
        if (charset.name().startsWith("UTF-16") && (startsWith(head, 0xFF, 0xFE) || startsWith(head, 0xFE, 0xFF))) {
            return charset.name().equals("UTF-16") ? 0 : 2; // plain "UTF-16" consumes the BOM itself
        }
        return 0;
    }

    /** Refuses bodies that are evidently not text: empty, or a known binary format. */
    static void rejectNonText(long size, byte[] head) {
        if (size == 0) {
            throw notCsv("The upload is empty: send a CSV file with a header line.");
        }
        String kind = null;
        if (startsWith(head, 0x89, 'P', 'N', 'G')) {
            kind = "a PNG image";
        } else if (startsWith(head, 'P', 'K', 3, 4) || startsWith(head, 'P', 'K', 5, 6)) {
            kind = "a ZIP archive (an Excel .xlsx workbook is one: export it as CSV)";
        } else if (startsWith(head, 0x1F, 0x8B)) {
            kind = "a gzip-compressed file";
        } else if (startsWith(head, 0xD0, 0xCF, 0x11, 0xE0)) {
            kind = "an Office document (.xls): export it as CSV";
        } else if (startsWith(head, '%', 'P', 'D', 'F')) {
            kind = "a PDF document";
        } else if (startsWith(head, 0xFF, 0xD8, 0xFF)) {
            kind = "a JPEG image";
        } else if (startsWith(head, 'G', 'I', 'F', '8')) {
            kind = "a GIF image";
        } else if (startsWith(head, '7', 'z', 0xBC, 0xAF)) {
            kind = "a 7z archive";
        }
        if (kind != null) {
            throw notCsv("The file is " + kind + ", not CSV text.");
        }
    }

    static SegmatchException notCsv(String detail) {
        return SegmatchException.invalid("not-csv", detail);
    }

    private static boolean hasNulBytes(byte[] head) {
        for (byte b : head) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }

    private static String decodeHead(byte[] head, int bom, Charset charset, boolean truncated) {
        var decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        var in = ByteBuffer.wrap(head, bom, head.length - bom);
        var out = CharBuffer.allocate(head.length + 16);
        decoder.decode(in, out, !truncated);
        out.flip();
        return out.toString();
    }

    /**
     * The candidate whose count outside quotes is the same, and non-zero, on the header and
     * most sample records; ties go to the larger count, then to the order , ; tab |.
     */
    static char detectDelimiter(String text) {
        List<String> records = sampleRecords(text);
        char best = ',';
        double bestScore = 0;
        for (char candidate : CANDIDATES) {
            int headerCount = count(records.isEmpty() ? "" : records.get(0), candidate);
            if (headerCount == 0) {
                continue;
            }
            int consistent = 0;
            for (String r : records) {
                if (count(r, candidate) == headerCount) {
                    consistent++;
                }
            }
            double score = (double) consistent / records.size() * 1000 + Math.min(headerCount, 999) / 1000.0;
            if (score > bestScore) {
                bestScore = score;
                best = candidate;
            }
        }
        return best;
    }

    /** Splits the sample into records, honouring quotes; drops a possibly cut last record. */
    private static List<String> sampleRecords(String text) {
        List<String> records = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length() && records.size() < SAMPLE_RECORDS; i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (!quoted && (c == '\n' || c == '\r')) {
                if (!current.toString().isBlank()) {
                    records.add(current.toString());
                }
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (records.isEmpty() && !current.toString().isBlank()) {
            records.add(current.toString());
        }
        return records;
    }

    private static int count(String record, char delimiter) {
        int n = 0;
        boolean quoted = false;
        for (int i = 0; i < record.length(); i++) {
            char c = record.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == delimiter && !quoted) {
                n++;
            }
        }
        return n;
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != (prefix[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    static String describe(char delimiter) {
        return delimiter == '\t' ? "tab" : String.valueOf(delimiter).toLowerCase(Locale.ROOT);
    }
}
