package io.segmatch.segments.api;

import io.segmatch.datasets.entity.Dataset;
import io.segmatch.datasets.entity.DatasetColumn;
import io.segmatch.datasets.store.StoredRow;
import io.segmatch.segments.boundary.Segments;
import io.segmatch.segments.entity.Segment;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.StringReader;

import static io.segmatch.shared.api.JsonTimes.time;
import static io.segmatch.shared.json.Jsons.JSON;

/** The JSON shapes of the segments API (docs/segments.md). */
final class SegmentJson {

    private SegmentJson() {
    }

    static JsonObject segment(Segment s) {
        JsonObjectBuilder b = JSON.createObjectBuilder()
                .add("id", s.getId())
                .add("name", s.getName())
                .add("datasetId", s.getDatasetId())
                .add("logic", s.getLogic().name())
                .add("conditions", parse(s.getConditionsJson()))
                .add("memberCount", s.getMemberCount())
                .add("status", s.getStatus().apiName());
        time(b, "lastEvaluatedAt", s.getLastEvaluatedAt());
        time(b, "lastSyncedAt", s.getLastSyncedAt());
        if (s.getActivationJson() == null) {
            b.addNull("activation");
        } else {
            b.add("activation", parse(s.getActivationJson()));
        }
        if (s.getError() != null) {
            b.add("error", s.getError());
        }
        return b.add("createdAt", s.getCreatedAt().toString()).add("updatedAt", s.getUpdatedAt().toString()).build();
    }

    static JsonObject preview(Segments.PreviewResult preview) {
        JsonArrayBuilder sample = JSON.createArrayBuilder();
        for (StoredRow row : preview.result().sample()) {
            sample.add(JSON.createObjectBuilder().add("key", row.key()).add("values", values(row, preview.dataset())));
        }
        return JSON.createObjectBuilder()
                .add("count", preview.result().count())
                .add("scanned", preview.result().scanned())
                .add("totalRows", preview.dataset().getRowCount())
                .add("sample", sample)
                .build();
    }

    private static JsonObjectBuilder values(StoredRow row, Dataset dataset) {
        JsonObjectBuilder values = JSON.createObjectBuilder();
        for (DatasetColumn column : dataset.getColumns()) {
            String value = row.values().get(column.getName());
            if (value != null) {
                values.add(column.getName(), value);
            }
        }
        return values;
    }

    private static JsonValue parse(String json) {
        try (JsonReader reader = JSON.createReader(new StringReader(json))) {
            return reader.readValue();
        }
    }
}
