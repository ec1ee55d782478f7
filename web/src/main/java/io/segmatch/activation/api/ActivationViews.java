package io.segmatch.activation.api;

import io.segmatch.activation.store.Destination;
import io.segmatch.activation.store.SyncJobs;
import io.segmatch.activation.store.SyncRuns;
import jakarta.json.JsonNumber;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

import java.io.StringReader;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * The Google connection and the syncs as the API shows them, bound with JSON-B. Fields marked
 * nillable are written as {@code null} when absent; the others ({@code problem}, {@code batchId},
 * a run's {@code plan} and {@code error}) only when they have a value.
 */
final class ActivationViews {

    private ActivationViews() {
    }

    @JsonbPropertyOrder({"connected", "needsReconnect", "customerId", "loginCustomerId", "api", "lastSync", "problem"})
    public record Connection(boolean connected, boolean needsReconnect, @JsonbNillable String customerId,
                             @JsonbNillable String loginCustomerId, String api, @JsonbNillable Instant lastSync,
                             String problem) {
    }

    /** The Meta connection: never the token. */
    @JsonbPropertyOrder({"connected", "needsToken", "adAccountId", "appSecretProof", "pausedUntil", "lastSync", "problem"})
    public record MetaConnection(boolean connected, boolean needsToken, @JsonbNillable String adAccountId,
                                 boolean appSecretProof, Instant pausedUntil, @JsonbNillable Instant lastSync,
                                 String problem) {
    }

    /** {@code PUT /api/activation/meta}: a system user's access token to store. */
    public record MetaToken(String accessToken) {
    }

    @JsonbPropertyOrder({"started", "batchId"})
    public record Started(boolean started, Long batchId) {
    }

    /**
     * A sync run. {@code userList} is the destination's list: a Google list's resource name, or
     * a Meta audience's id. {@code invalidEntries} and {@code invalidEntrySamples}: what Meta
     * reported it could not use (a count, and up to 100 samples per request), only on Meta's runs.
     */
    @JsonbPropertyOrder({"id", "segmentId", "destination", "status", "startedAt", "endedAt", "plannedAdds", "plannedRemoves",
            "sent", "added", "removed", "rejected", "rejectedByCode", "skipped", "userList", "plan", "listSize", "matchRate",
            "requestIds", "invalidEntries", "invalidEntrySamples", "jobs", "error"})
    public record SyncRun(long id, String segmentId, String status, Instant startedAt, @JsonbNillable Instant endedAt,
                          long plannedAdds, long plannedRemoves, long sent, long added, long removed, long rejected,
                          Map<String, Long> rejectedByCode, long skipped, @JsonbNillable String userList, Plan plan,
                          @JsonbNillable Long listSize, @JsonbNillable Integer matchRate, List<String> requestIds,
                          String destination, Long invalidEntries, Map<String, String> invalidEntrySamples,
                          List<Job> jobs, String error) {
        static SyncRun of(SyncRuns.Run r) {
            boolean meta = r.destination() == Destination.META;
            return new SyncRun(r.id(), r.segmentId(), r.status().apiName(), r.startedAt(), r.endedAt(), r.plannedAdds(),
                    r.plannedRemoves(), r.sent(), r.added(), r.removed(), r.rejected(), counts(r.rejectedCodes()),
                    r.skipped(), r.userList(), r.plan() == null ? null
                            : new Plan(r.plan().scope(), r.plan().examined(), r.plan().millis()),
                    r.listSize(), r.matchRate(),
                    r.requestIds().isBlank() ? List.of() : Arrays.asList(r.requestIds().split(" ")),
                    r.destination().apiName(), meta ? r.invalidEntries() : null,
                    meta ? samples(r.invalidSamples()) : null, r.jobs().stream().map(Job::of).toList(), r.error());
        }

        private static Map<String, String> samples(String stored) {
            Map<String, String> samples = new LinkedHashMap<>();
            if (stored != null) {
                JSON.createReader(new StringReader(stored)).readObject().forEach((k, v) -> samples.put(k,
                        v.getValueType() == jakarta.json.JsonValue.ValueType.STRING ? ((jakarta.json.JsonString) v).getString()
                                : v.toString()));
            }
            return samples;
        }

        /** The refusals by Google's code, as stored ({@code {"INVALID_SHA256_FORMAT": 3}}), in their order. */
        private static Map<String, Long> counts(String stored) {
            Map<String, Long> counts = new LinkedHashMap<>();
            JSON.createReader(new StringReader(stored)).readObject()
                    .forEach((code, n) -> counts.put(code, ((JsonNumber) n).longValue()));
            return counts;
        }
    }

    /** How a sync's plan went: a full plan or only what changed, how many people it looked at, how long it took. */
    @JsonbPropertyOrder({"scope", "examined", "millis"})
    public record Plan(String scope, long examined, long millis) {
    }

    @JsonbNillable
    @JsonbPropertyOrder({"kind", "status", "resourceName", "matchRateRange", "error", "people", "recordedMillis"})
    public record Job(String kind, String status, String resourceName, String matchRateRange, String error, long people,
                      Integer recordedMillis) {
        static Job of(SyncJobs.Job j) {
            return new Job(j.kind(), j.status().apiName(), j.resourceName(), j.matchRateRange(), j.error(), j.people(),
                    j.recordedMillis());
        }
    }
}
