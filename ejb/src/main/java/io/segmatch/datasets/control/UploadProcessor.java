package io.segmatch.datasets.control;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.entity.DatasetColumn;
import io.segmatch.datasets.entity.Upload.Counts;
import io.segmatch.datasets.store.JsonText;
import io.segmatch.datasets.store.TypedRows;
import io.segmatch.datasets.store.UploadStage;
import io.segmatch.shared.error.SegmatchException.FieldError;
import io.segmatch.shared.error.SegmatchException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Applies one CSV upload to a dataset's rows on a JDBC connection whose transaction the
 * caller owns (docs/datasets.md): reads the file once, rejects rows it cannot take with their
 * line and reason, streams the others into the upload stage and merges them. Nothing is
 * committed here; on any exception the caller rolls back and the dataset is as before.
 */
public final class UploadProcessor {

    private static final Logger LOG =
            Logger.getLogger(UploadProcessor.class.getName());

    /** At most this many rejections are listed; all are counted. */
    public static final int MAX_LISTED_ERRORS = 1000;

    public enum Mode {
        UPSERT, REPLACE;

        public static Mode parse(String value) {
            if (value == null || value.isBlank()) {
                return UPSERT;
            }
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "upsert" -> UPSERT;
                case "replace" -> REPLACE;
                default -> throw SegmatchException.invalid("invalid-parameter", "mode must be upsert or replace",
                        List.of(FieldError.field("mode", "unknown mode '" + value + "' (upsert or replace)")));
            };
        }

        public String apiName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The parameters of an upload: key column (first upload only), mode and dialect overrides. */
    public record Options(String key, Mode mode, String encoding, String delimiter, double maxRejectedShare) {
    }

    /** What the dataset is before the upload: its key column and columns, or null for a new dataset. */
    public record Schema(String keyColumn, List<DatasetColumn> columns, long rowCount) {
    }

    /** A rejected row. */
    public record RowError(long line, String message) {
    }

    /** What the upload did; {@code newColumns} are the columns it added, with inferred types. */
    public record Outcome(CsvDialect dialect, String keyColumn, List<String> uploadColumns,
                          List<DatasetColumn> newColumns, Counts counts, List<RowError> errors) {
    }

    private UploadProcessor() {
    }

    /** Applies the upload; rows are stamped with the transaction's start time. */
    public static Outcome apply(Connection connection, String datasetId, Schema schema, SpooledUpload upload,
                                Options options) throws IOException, SQLException {
        Instant now = UploadStage.transactionTime(connection);
        CsvDialect dialect = CsvDialectSniffer.sniff(upload, options.encoding(), options.delimiter());
        boolean direct = schema == null || schema.rowCount() == 0;
        try {
            return apply(connection, datasetId, schema, upload, dialect, options, now, direct);
        } catch (UploadStage.DuplicateKeyException e) {
            // the file repeats a key: read it again through the staging table, which resolves repeats
            try {
                return apply(connection, datasetId, schema, upload, dialect, options, now, false);
            } catch (UploadStage.DuplicateKeyException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    private static Outcome apply(Connection connection, String datasetId, Schema schema, SpooledUpload upload,
                                 CsvDialect dialect, Options options, Instant now, boolean direct)
            throws IOException, SQLException, UploadStage.DuplicateKeyException {
        long t0 = System.nanoTime();
        try (InputStream in = upload.open();
             CsvRecordReader reader = CsvRecordReader.open(in, dialect);
             UploadStage stage = UploadStage.open(connection, datasetId, direct)) {

            CsvRecordReader.Record headerRecord = reader.next();
            if (headerRecord == null) {
                throw CsvDialectSniffer.notCsv("The file has no header line: it holds only blank lines.");
            }
            List<String> header = HeaderRules.header(headerRecord.fields(), headerRecord.line());
            int keyIndex = keyIndex(schema, header, options.key());
            Columns columns = Columns.of(schema, header);

            long read = 0;
            long rejected = 0;
            List<RowError> errors = new ArrayList<>();
            StringBuilder json = new StringBuilder(1024);
            String[] values = new String[header.size()];
            KeyFilter keys = direct ? null : new KeyFilter();
            CsvRecordReader.Record record;
            while ((record = reader.next()) != null) {
                read++;
                String problem = columns.read(record.fields(), keyIndex, values);
                if (problem != null) {
                    rejected++;
                    if (errors.size() < MAX_LISTED_ERRORS) {
                        errors.add(new RowError(record.line(), problem));
                    }
                    String key = Columns.keyOf(record.fields(), keyIndex);
                    if (options.mode() == Mode.REPLACE && key != null) {
                        stage.keep(record.line(), key);
                    }
                    continue;
                }
                columns.observe(values);
                if (keys != null) {
                    keys.add(values[keyIndex]);
                }
                try {
                    stage.add(record.line(), values[keyIndex], columns.json(values, json), values);
                } catch (IOException e) {
                    UploadStage.DuplicateKeyException duplicate = stage.duplicateKeys(e);
                    if (duplicate != null) {
                        throw duplicate;
                    }
                    throw e;
                }
            }
            if (read > 0 && rejected > read * options.maxRejectedShare()) {
                throw tooManyRejections(read, rejected, options.maxRejectedShare(), errors);
            }

            long staged = System.nanoTime();
            stage.finishCopy();
            long copied = System.nanoTime();
            boolean allColumns = schema == null || schema.columns().stream()
                    .allMatch(c -> columns.names().contains(c.getName()));
            UploadStage.Merge merge = stage.apply(columns.names(), allColumns, schema == null,
                    keys != null && keys.maybeRepeated(), schema == null ? 0 : schema.rowCount(), now);
            long merged = System.nanoTime();
            long deleted = options.mode() == Mode.REPLACE ? stage.deleteMissing(now) : 0;
            long typedFrom = System.nanoTime();
            List<DatasetColumn> after = new ArrayList<>(schema == null ? List.of() : schema.columns());
            after.addAll(columns.added());
            stage.refreshTyped(TypedRows.of(after), columns.names());
            long typed = System.nanoTime();
            stage.dropTables();
            long done = System.nanoTime();
            LOG.info(String.format(Locale.ROOT, "upload to dataset %s (%s): %d rows read and staged in %.2f s, "
                            + "copy finished in %.2f s, applied in %.2f s (%s), replace deletions in %.2f s, typed rows in %.2f s",
                    datasetId, direct ? "direct" : "staged", read, (staged - t0) / 1e9, (copied - staged) / 1e9,
                    (merged - copied) / 1e9, merge.timings(), (typedFrom - merged) / 1e9, (typed - typedFrom) / 1e9));
            long accepted = read - rejected;
            Counts counts = new Counts(read, merge.inserted(), merge.updated(),
                    accepted - merge.duplicates() - merge.inserted() - merge.updated(), rejected,
                    merge.duplicates(), deleted);
            return new Outcome(dialect, columns.names().get(keyIndex), columns.names(), columns.added(),
                    counts, errors);
        }
    }

    /** The header of a file, how it reads, and the key column a first upload would take. */
    public record Header(CsvDialect dialect, List<String> columns, String guessedKey) {
    }

    /** Reads only the header (for the console's upload form); refuses what an upload would refuse there. */
    public static Header header(SpooledUpload upload, String encoding, String delimiter) throws IOException {
        CsvDialect dialect = CsvDialectSniffer.sniff(upload, encoding, delimiter);
        try (InputStream in = upload.open(); CsvRecordReader reader = CsvRecordReader.open(in, dialect)) {
            CsvRecordReader.Record first = reader.next();
            if (first == null) {
                throw CsvDialectSniffer.notCsv("The file has no header line: it holds only blank lines.");
            }
            List<String> columns = HeaderRules.header(first.fields(), first.line());
            String guessed = null;
            try {
                guessed = columns.get(HeaderRules.keyColumn(columns, null));
            } catch (SegmatchException noGuess) {
                // the user picks the key column
            }
            return new Header(dialect, columns, guessed);
        }
    }

    private static int keyIndex(Schema schema, List<String> header, String key) {
        if (schema == null) {
            return HeaderRules.keyColumn(header, key);
        }
        if (key != null && !key.isBlank() && !key.trim().equalsIgnoreCase(schema.keyColumn())) {
            throw SegmatchException.invalid("key-column-mismatch", "this dataset's key column is '"
                            + schema.keyColumn() + "'; it cannot change to '" + key.trim() + "'",
                    List.of(FieldError.field("key", "the dataset's key column is '" + schema.keyColumn() + "'")));
        }
        return HeaderRules.indexOf(header, schema.keyColumn()).orElseThrow(() -> SegmatchException.invalid(
                "missing-key-column", "the file lacks the dataset's key column '" + schema.keyColumn()
                        + "'; its columns are: " + String.join(", ", header)));
    }

    private static SegmatchException tooManyRejections(long read, long rejected, double share, List<RowError> errors) {
        List<FieldError> listed = errors.stream().map(e -> FieldError.line(e.line(), e.message())).toList();
        return SegmatchException.invalid("too-many-rejections", String.format(Locale.ROOT,
                "%d of %d rows were rejected (more than %.0f%%): nothing was imported. Is this the right file, "
                        + "delimiter and encoding? The first rejection: line %d: %s", rejected, read, share * 100,
                errors.get(0).line(), errors.get(0).message()), listed);
    }

    /** The upload's columns, mapped onto the dataset's: types to check, and inference for new ones. */
    private static final class Columns {
        private final List<String> names = new ArrayList<>();
        private final ColumnType[] types;          // null for a column this upload adds
        private final TypeInference[] inference;   // non-null for a column this upload adds
        /** Rows written as their stored jsonb prints (see {@code StagedDiff}: compared as text). */
        private JsonText.Layout layout;

        private Columns(int size) {
            types = new ColumnType[size];
            inference = new TypeInference[size];
        }

        static Columns of(Schema schema, List<String> header) {
            Columns c = new Columns(header.size());
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i);
                DatasetColumn existing = schema == null ? null : schema.columns().stream()
                        .filter(col -> col.getName().equalsIgnoreCase(name)).findFirst().orElse(null);
                if (existing != null) {
                    c.names.add(existing.getName());
                    c.types[i] = existing.getType();
                } else {
                    c.names.add(name);
                    c.inference[i] = new TypeInference();
                }
            }
            c.layout = new JsonText.Layout(c.names);
            return c;
        }

        List<String> names() {
            return names;
        }

        /** Trims the record into {@code values} (null = missing); returns why it is rejected, or null. */
        String read(String[] fields, int keyIndex, String[] values) {
            if (fields.length != values.length) {
                return "expected " + values.length + " fields, found " + fields.length;
            }
            for (int i = 0; i < fields.length; i++) {
                String v = fields[i].trim();
                if (v.indexOf('\0') >= 0) {
                    return "column '" + names.get(i) + "': the value contains a NUL character";
                }
                values[i] = v.isEmpty() ? null : v;
            }
            if (values[keyIndex] == null) {
                return "the key column '" + names.get(keyIndex) + "' is empty";
            }
            if (tooLong(values[keyIndex])) {
                return "the key is longer than " + MAX_KEY_BYTES + " bytes";
            }
            for (int i = 0; i < values.length; i++) {
                ColumnType type = types[i];
                if (type != null && values[i] != null && type != ColumnType.STRING && !type.conforms(values[i])) {
                    return "column '" + names.get(i) + "': expected " + article(type) + ", found '"
                            + abbreviate(values[i]) + "'";
                }
            }
            return null;
        }

        /** The key of a rejected record when it can be read, for replace mode to keep its row. */
        static String keyOf(String[] fields, int keyIndex) {
            if (keyIndex >= fields.length) {
                return null;
            }
            String key = fields[keyIndex].trim();
            return key.isEmpty() || key.indexOf('\0') >= 0 || tooLong(key) ? null : key;
        }

        void observe(String[] values) {
            for (int i = 0; i < values.length; i++) {
                if (inference[i] != null && values[i] != null) {
                    inference[i].observe(values[i]);
                }
            }
        }

        String json(String[] values, StringBuilder out) {
            return layout.object(values, out);
        }

        List<DatasetColumn> added() {
            List<DatasetColumn> added = new ArrayList<>();
            for (int i = 0; i < types.length; i++) {
                if (inference[i] != null) {
                    added.add(new DatasetColumn(names.get(i), inference[i].result()));
                }
            }
            return added;
        }
    }

    /** Keys are indexed; PostgreSQL's B-tree takes entries up to about 2.7 kB. */
    public static final int MAX_KEY_BYTES = 1000;

    static boolean tooLong(String key) {
        return key.length() > MAX_KEY_BYTES / 3
                && key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES;
    }

    static String article(ColumnType type) {
        return switch (type) {
            case BOOLEAN -> "a boolean (true, false, yes or no)";
            case NUMBER -> "a number";
            case DATE -> "a date (yyyy-MM-dd)";
            case TIMESTAMP -> "a timestamp (ISO-8601)";
            case STRING -> "text";
        };
    }

    static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
