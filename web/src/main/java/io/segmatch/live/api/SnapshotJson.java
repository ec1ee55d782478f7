package io.segmatch.live.api;

import io.segmatch.live.store.LiveSnapshots;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import static io.segmatch.shared.api.JsonTimes.time;
import static io.segmatch.shared.json.Jsons.JSON;

/**
 * The {@code segments} event's data (docs/operations.md), without its {@code at}: the
 * fields docs/operations.md lists, and (extensions) each segment's dataset and activation, whether a
 * processing run or a sync is running and when the last one ended, and the number of datasets
 * and customer rows.
 */
final class SnapshotJson {

    private SnapshotJson() {
    }

    static String state(LiveSnapshots.Snapshot s) {
        JsonArrayBuilder segments = JSON.createArrayBuilder();
        for (LiveSnapshots.SegmentState segment : s.segments()) {
            JsonObjectBuilder b = JSON.createObjectBuilder()
                    .add("id", segment.id())
                    .add("name", segment.name())
                    .add("memberCount", segment.memberCount())
                    .add("status", segment.status());
            time(b, "lastEvaluatedAt", segment.lastEvaluatedAt());
            time(b, "lastSyncedAt", segment.lastSyncedAt());
            segments.add(b.add("datasetId", segment.datasetId()).add("activated", segment.activated()));
        }
        JsonObjectBuilder processing = JSON.createObjectBuilder().add("running", s.processing());
        time(processing, "lastRunEndedAt", s.lastRunEndedAt());
        JsonObjectBuilder sync = JSON.createObjectBuilder().add("running", s.syncing());
        time(sync, "lastEndedAt", s.lastSyncEndedAt());
        return JSON.createObjectBuilder()
                .add("pendingChanges", s.pendingChanges())
                .add("segments", segments)
                .add("processing", processing)
                .add("sync", sync)
                .add("datasets", s.datasets())
                .add("rows", s.rows())
                .build().toString();
    }
}
