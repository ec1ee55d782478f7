package io.segmatch.lifecycle.api;

import io.segmatch.lifecycle.store.Erasures;
import io.segmatch.lifecycle.store.HistoryPurges;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

import java.time.Instant;

/** Erasure requests, the retention and purges as the API shows them, bound with JSON-B (absent values as {@code null}). */
final class LifecycleViews {

    private LifecycleViews() {
    }

    @JsonbNillable
    @JsonbPropertyOrder({"id", "requestedBy", "matchedBy", "rowsErased", "datasets", "status", "requestedAt", "completedAt"})
    public record Erasure(long id, String requestedBy, String matchedBy, int rowsErased, int datasets, String status,
                          Instant requestedAt, Instant completedAt) {
        static Erasure of(Erasures.Erasure e) {
            return new Erasure(e.id(), e.requestedBy(), e.matchedBy(), e.rowsErased(), e.datasets(), e.status(),
                    e.requestedAt(), e.completedAt());
        }
    }

    @JsonbNillable
    @JsonbPropertyOrder({"id", "reason", "logEntries", "processingRuns", "syncs", "syncJobs", "startedAt", "endedAt",
            "cutoff", "error"})
    public record Purge(long id, String reason, long logEntries, long processingRuns, long syncs, long syncJobs,
                        Instant startedAt, Instant endedAt, Instant cutoff, String error) {
        static Purge of(HistoryPurges.Purge p) {
            return new Purge(p.id(), p.reason(), p.logEntries(), p.processingRuns(), p.syncs(), p.syncJobs(),
                    p.startedAt(), p.endedAt(), p.cutoff(), p.error());
        }
    }

    @JsonbNillable
    @JsonbPropertyOrder({"retentionDays", "retention", "cutoff", "lastPurge"})
    public record Retention(long retentionDays, String retention, Instant cutoff, Purge lastPurge) {
    }
}
