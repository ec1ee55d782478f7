package io.segmatch.datasets.api;

import io.segmatch.datasets.entity.Dataset;
import io.segmatch.datasets.entity.DatasetColumn;
import io.segmatch.datasets.entity.Upload;
import io.segmatch.datasets.store.StoredRow;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.util.List;

import static io.segmatch.shared.json.Jsons.JSON;

/** The JSON shapes of the datasets API (docs/datasets.md). */
final class DatasetJson {

    private DatasetJson() {
    }

    static JsonObjectBuilder dataset(Dataset d) {
        JsonArrayBuilder columns = JSON.createArrayBuilder();
        for (DatasetColumn c : d.getColumns()) {
            columns.add(JSON.createObjectBuilder().add("name", c.getName()).add("type", c.getType().apiName()));
        }
        return JSON.createObjectBuilder()
                .add("id", d.getId())
                .add("name", d.getName())
                .add("keyColumn", d.getKeyColumn())
                .add("rowCount", d.getRowCount())
                .add("columns", columns)
                .add("createdAt", d.getCreatedAt().toString())
                .add("updatedAt", d.getUpdatedAt().toString());
    }

    static JsonObject details(Dataset d, List<Upload> uploads, boolean personal) {
        JsonObjectBuilder identifiers = JSON.createObjectBuilder();
        d.getIdentifiers().asMap().forEach(identifiers::add);
        JsonArrayBuilder history = JSON.createArrayBuilder();
        uploads.forEach(u -> history.add(summary(u, personal)));
        return dataset(d).add("identifiers", identifiers).add("uploads", history).build();
    }

    static JsonObject summary(Upload u) {
        return summary(u, true);
    }

    /**
     * An upload's summary; without {@code personal}, its rejected lines are given by number
     * only (their messages may quote the line's values, which a viewer never sees).
     */
    static JsonObject summary(Upload u, boolean personal) {
        Upload.Counts n = u.getCounts();
        JsonObjectBuilder b = JSON.createObjectBuilder()
                .add("datasetId", u.getDatasetId())
                .add("uploadId", u.getId())
                .add("mode", u.getMode())
                .add("encoding", u.getEncoding())
                .add("delimiter", u.getDelimiter())
                .add("keyColumn", u.getKeyColumn())
                .add("read", n.read())
                .add("inserted", n.inserted())
                .add("updated", n.updated())
                .add("unchanged", n.unchanged())
                .add("rejected", n.rejected())
                .add("duplicates", n.duplicates())
                .add("deleted", n.deleted())
                .add("columns", parse(u.getColumnsJson()))
                .add("errors", personal ? parse(u.getErrorsJson()) : lineNumbers(parse(u.getErrorsJson())))
                .add("sizeBytes", u.getSizeBytes())
                .add("startedAt", u.getStartedAt().toString())
                .add("finishedAt", u.getFinishedAt().toString());
        if (u.getFileName() != null) {
            b.add("fileName", u.getFileName());
        }
        return b.build();
    }

    private static JsonValue lineNumbers(JsonValue errors) {
        if (!(errors instanceof JsonArray list)) {
            return errors;
        }
        JsonArrayBuilder lines = JSON.createArrayBuilder();
        for (JsonValue e : list) {
            if (e instanceof JsonObject o && o.containsKey("line")) {
                lines.add(JSON.createObjectBuilder().add("line", o.get("line")));
            }
        }
        return lines.build();
    }

    /** A row, its values in the dataset's column order. */
    static JsonObject row(StoredRow row, Dataset dataset) {
        JsonObjectBuilder values = JSON.createObjectBuilder();
        for (DatasetColumn column : dataset.getColumns()) {
            String value = row.values().get(column.getName());
            if (value != null) {
                values.add(column.getName(), value);
            }
        }
        row.values().forEach((name, value) -> {
            if (dataset.column(name).isEmpty()) {
                values.add(name, value);
            }
        });
        return JSON.createObjectBuilder()
                .add("key", row.key())
                .add("values", values)
                .add("createdAt", row.createdAt().toString())
                .add("updatedAt", row.updatedAt().toString())
                .build();
    }

    static JsonObject rows(List<StoredRow> rows, Dataset dataset, int limit) {
        JsonArrayBuilder list = JSON.createArrayBuilder();
        rows.forEach(r -> list.add(row(r, dataset)));
        JsonObjectBuilder b = JSON.createObjectBuilder().add("rows", list);
        if (rows.size() == limit) {
            b.add("next", rows.get(rows.size() - 1).key());
        } else {
            b.addNull("next");
        }
        return b.build();
    }

    private static JsonArray parse(String json) {
        try (JsonReader reader = JSON.createReader(new StringReader(json))) {
            return reader.readArray();
        }
    }

}
