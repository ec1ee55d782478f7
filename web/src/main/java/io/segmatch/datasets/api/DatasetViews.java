package io.segmatch.datasets.api;

import io.segmatch.datasets.entity.Dataset;
import io.segmatch.datasets.entity.DatasetColumn;
import io.segmatch.datasets.entity.Upload;
import io.segmatch.datasets.store.StoredRow;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

import java.io.StringReader;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * The datasets API's answers, bound with JSON-B (docs/datasets.md): each record fixes its
 * fields' order; an upload's {@code fileName} is there only when the upload had one, a rows
 * page's {@code next} is {@code null} at the end. An upload's columns and rejected lines are
 * shown as stored.
 */
final class DatasetViews {

    private DatasetViews() {
    }

    @JsonbPropertyOrder({"name", "type"})
    public record Column(String name, String type) {
    }

    @JsonbPropertyOrder({"id", "name", "keyColumn", "rowCount", "columns", "createdAt", "updatedAt"})
    public record DatasetView(String id, String name, String keyColumn, long rowCount, List<Column> columns,
                              Instant createdAt, Instant updatedAt) {
        static DatasetView of(Dataset d) {
            return new DatasetView(d.getId(), d.getName(), d.getKeyColumn(), d.getRowCount(), columnsOf(d),
                    d.getCreatedAt(), d.getUpdatedAt());
        }
    }

    /** A dataset with its identifier roles and its newest uploads. */
    @JsonbPropertyOrder({"id", "name", "keyColumn", "rowCount", "columns", "createdAt", "updatedAt", "identifiers",
            "uploads"})
    public record Details(String id, String name, String keyColumn, long rowCount, List<Column> columns,
                          Instant createdAt, Instant updatedAt, Map<String, String> identifiers,
                          List<UploadSummary> uploads) {
        static Details of(Dataset d, List<Upload> uploads, boolean personal) {
            return new Details(d.getId(), d.getName(), d.getKeyColumn(), d.getRowCount(), columnsOf(d), d.getCreatedAt(),
                    d.getUpdatedAt(), d.getIdentifiers().asMap(),
                    uploads.stream().map(u -> UploadSummary.of(u, personal)).toList());
        }
    }

    @JsonbPropertyOrder({"datasetId", "uploadId", "mode", "encoding", "delimiter", "keyColumn", "read", "inserted",
            "updated", "unchanged", "rejected", "duplicates", "deleted", "columns", "errors", "sizeBytes", "startedAt",
            "finishedAt", "fileName"})
    public record UploadSummary(String datasetId, String uploadId, String mode, String encoding, String delimiter,
                                String keyColumn, long read, long inserted, long updated, long unchanged, long rejected,
                                long duplicates, long deleted, JsonValue columns, JsonValue errors, long sizeBytes,
                                Instant startedAt, Instant finishedAt, String fileName) {
        static UploadSummary of(Upload u) {
            return of(u, true);
        }

        /**
         * An upload's summary; without {@code personal}, its rejected lines are given by number
         * only (their messages may quote the line's values, which a viewer never sees).
         */
        static UploadSummary of(Upload u, boolean personal) {
            Upload.Counts n = u.getCounts();
            JsonArray errors = parse(u.getErrorsJson());
            return new UploadSummary(u.getDatasetId(), u.getId(), u.getMode(), u.getEncoding(), u.getDelimiter(),
                    u.getKeyColumn(), n.read(), n.inserted(), n.updated(), n.unchanged(), n.rejected(), n.duplicates(),
                    n.deleted(), parse(u.getColumnsJson()), personal ? errors : lineNumbers(errors), u.getSizeBytes(),
                    u.getStartedAt(), u.getFinishedAt(), u.getFileName());
        }
    }

    /** A row, its values in the dataset's column order (then any the columns no longer name). */
    @JsonbPropertyOrder({"key", "values", "createdAt", "updatedAt"})
    public record Row(String key, Map<String, String> values, Instant createdAt, Instant updatedAt) {
        static Row of(StoredRow row, Dataset dataset) {
            Map<String, String> values = new LinkedHashMap<>();
            for (DatasetColumn column : dataset.getColumns()) {
                String value = row.values().get(column.getName());
                if (value != null) {
                    values.put(column.getName(), value);
                }
            }
            row.values().forEach((name, value) -> {
                if (dataset.column(name).isEmpty()) {
                    values.put(name, value);
                }
            });
            return new Row(row.key(), values, row.createdAt(), row.updatedAt());
        }
    }

    @JsonbPropertyOrder({"rows", "next"})
    public record RowsPage(List<Row> rows, @JsonbNillable String next) {
        static RowsPage of(List<StoredRow> rows, Dataset dataset, int limit) {
            return new RowsPage(rows.stream().map(r -> Row.of(r, dataset)).toList(),
                    rows.size() == limit ? rows.get(rows.size() - 1).key() : null);
        }
    }

    private static List<Column> columnsOf(Dataset d) {
        return d.getColumns().stream().map(c -> new Column(c.getName(), c.getType().apiName())).toList();
    }

    private static JsonArray lineNumbers(JsonArray errors) {
        JsonArrayBuilder lines = JSON.createArrayBuilder();
        for (JsonValue e : errors) {
            if (e instanceof JsonObject o && o.containsKey("line")) {
                lines.add(JSON.createObjectBuilder().add("line", o.get("line")));
            }
        }
        return lines.build();
    }

    private static JsonArray parse(String json) {
        try (JsonReader reader = JSON.createReader(new StringReader(json))) {
            return reader.readArray();
        }
    }
}
