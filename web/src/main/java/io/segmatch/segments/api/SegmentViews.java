package io.segmatch.segments.api;

import io.segmatch.datasets.entity.Dataset;
import io.segmatch.datasets.entity.DatasetColumn;
import io.segmatch.membership.store.MemberHistory;
import io.segmatch.membership.store.MemberPages;
import io.segmatch.segments.boundary.Segments;
import io.segmatch.segments.entity.Segment;
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
 * The segments API's answers, bound with JSON-B (docs/segments.md): each record fixes its
 * fields' order; fields marked nillable are written as {@code null} when absent, a segment's
 * {@code error} only when it has one. A segment's conditions and activation settings are
 * shown as stored.
 */
final class SegmentViews {

    private SegmentViews() {
    }

    @JsonbPropertyOrder({"id", "name", "datasetId", "logic", "conditions", "memberCount", "status", "lastEvaluatedAt",
            "lastSyncedAt", "activation", "error", "createdAt", "updatedAt"})
    public record SegmentView(String id, String name, String datasetId, String logic, JsonValue conditions,
                              long memberCount, String status, @JsonbNillable Instant lastEvaluatedAt,
                              @JsonbNillable Instant lastSyncedAt, @JsonbNillable JsonValue activation, String error,
                              Instant createdAt, Instant updatedAt) {
        static SegmentView of(Segment s) {
            return new SegmentView(s.getId(), s.getName(), s.getDatasetId(), s.getLogic().name(),
                    parse(s.getConditionsJson()), s.getMemberCount(), s.getStatus().apiName(), s.getLastEvaluatedAt(),
                    s.getLastSyncedAt(), s.getActivationJson() == null ? null : parse(s.getActivationJson()), s.getError(),
                    s.getCreatedAt(), s.getUpdatedAt());
        }
    }

    @JsonbPropertyOrder({"count", "scanned", "totalRows", "sample"})
    public record PreviewView(long count, long scanned, long totalRows, List<SampleRow> sample) {
        static PreviewView of(Segments.PreviewResult preview) {
            Dataset dataset = preview.dataset();
            return new PreviewView(preview.result().count(), preview.result().scanned(), dataset.getRowCount(),
                    preview.result().sample().stream().map(row -> {
                        Map<String, String> values = new LinkedHashMap<>();
                        for (DatasetColumn column : dataset.getColumns()) {
                            String value = row.values().get(column.getName());
                            if (value != null) {
                                values.put(column.getName(), value);
                            }
                        }
                        return new SampleRow(row.key(), values);
                    }).toList());
        }
    }

    /** A matching row: its key and its values in the dataset's column order (absent values left out). */
    @JsonbPropertyOrder({"key", "values"})
    public record SampleRow(String key, Map<String, String> values) {
    }

    @JsonbPropertyOrder({"members", "next"})
    public record MembersPage(List<Member> members, @JsonbNillable String next) {
    }

    @JsonbPropertyOrder({"key", "since"})
    public record Member(String key, Instant since) {
        static Member of(MemberPages.Member m) {
            return new Member(m.key(), m.since());
        }
    }

    @JsonbPropertyOrder({"changes", "next"})
    public record ChangesPage(List<Change> changes, @JsonbNillable Long next) {
    }

    @JsonbPropertyOrder({"id", "key", "change", "at", "runId"})
    public record Change(long id, String key, String change, Instant at, long runId) {
        static Change of(MemberPages.Change c) {
            return new Change(c.id(), c.key(), c.change(), c.at(), c.runId());
        }
    }

    @JsonbPropertyOrder({"runId", "at", "entered", "exited", "memberCount"})
    public record Point(long runId, Instant at, long entered, long exited, long memberCount) {
        static Point of(MemberHistory.Point p) {
            return new Point(p.runId(), p.at(), p.entered(), p.exited(), p.memberCount());
        }
    }

    private static JsonValue parse(String json) {
        try (JsonReader reader = JSON.createReader(new StringReader(json))) {
            return reader.readValue();
        }
    }
}
