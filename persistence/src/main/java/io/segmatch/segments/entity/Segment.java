package io.segmatch.segments.entity;

import io.segmatch.shared.entity.InstantConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Locale;

/**
 * A segment: a named rule over one dataset. Its members, counts and sync state are kept
 * by the membership and activation jobs; until a run has evaluated it, it is pending.
 */
@Entity
@Table(name = "segment")
@NamedQuery(name = Segment.ALL, query = "SELECT s FROM Segment s WHERE s.deletedAt IS NULL ORDER BY s.createdAt, s.id")
@NamedQuery(name = Segment.BY_DATASET, query = "SELECT s FROM Segment s WHERE s.datasetId = :datasetId"
        + " AND s.deletedAt IS NULL ORDER BY s.createdAt")
public class Segment {

    public static final String ALL = "Segment.all";
    public static final String BY_DATASET = "Segment.byDataset";

    /** The evaluation state the API reports. */
    public enum Status {
        PENDING, EVALUATING, LIVE, FAILED;

        public String apiName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Id
    private String id;
    @Column(nullable = false)
    private String name;
    @Column(name = "dataset_id", nullable = false)
    private String datasetId;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Logic logic;
    @Column(name = "conditions_json", nullable = false)
    private String conditionsJson;
    @Column(name = "activation_json")
    private String activationJson;
    @Column(name = "member_count", nullable = false)
    private long memberCount;
    @Column(nullable = false)
    @jakarta.persistence.Convert(converter = StatusConverter.class)
    private Status status = Status.PENDING;
    private String error;
    @Column(name = "last_evaluated_at")
    @Convert(converter = InstantConverter.class)
    private Instant lastEvaluatedAt;
    @Column(name = "last_synced_at")
    @Convert(converter = InstantConverter.class)
    private Instant lastSyncedAt;
    @Column(name = "created_at", nullable = false)
    @Convert(converter = InstantConverter.class)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    @Convert(converter = InstantConverter.class)
    private Instant updatedAt;
    /** Incremented by every change of what the segment selects; a run rebuilds the segment when it is ahead. */
    @Column(name = "definition_version", nullable = false)
    private long definitionVersion = 1;
    @Column(name = "evaluated_version", nullable = false, insertable = false, updatable = false)
    private long evaluatedVersion;
    @Column(name = "deleted_at")
    @Convert(converter = InstantConverter.class)
    private Instant deletedAt;

    protected Segment() {
    }

    public Segment(String id, Instant now) {
        this.id = id;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** Sets what the user defines; a changed rule or dataset makes the segment pending again. */
    public void define(String name, String datasetId, Logic logic, String conditionsJson, String activationJson,
                       Instant now) {
        boolean redefined = this.conditionsJson != null;
        boolean ruleChanged = !datasetId.equals(this.datasetId) || logic != this.logic
                || !conditionsJson.equals(this.conditionsJson);
        this.name = name;
        this.datasetId = datasetId;
        this.logic = logic;
        this.conditionsJson = conditionsJson;
        this.activationJson = activationJson;
        this.updatedAt = now;
        if (redefined && ruleChanged) {
            definitionChanged(now);
        }
    }

    /** The definition changed (its rule, or a column type of its dataset): evaluate it again. */
    public void definitionChanged(Instant now) {
        this.status = Status.PENDING;
        this.error = null;
        this.updatedAt = now;
        this.definitionVersion++;
    }

    /**
     * Deletes the segment: it disappears from the API at once and stays as a tombstone until
     * a run has recorded its members' exits (and queued their removal downstream).
     */
    public void delete(Instant now) {
        this.deletedAt = now;
        this.updatedAt = now;
        this.definitionVersion++;
    }

    public boolean isDeleted() {
        return deletedAt != null;
    }

    public long getDefinitionVersion() {
        return definitionVersion;
    }

    public long getEvaluatedVersion() {
        return evaluatedVersion;
    }

    public String getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getDatasetId() {
        return datasetId;
    }

    public Logic getLogic() {
        return logic;
    }

    public String getConditionsJson() {
        return conditionsJson;
    }

    public String getActivationJson() {
        return activationJson;
    }

    public long getMemberCount() {
        return memberCount;
    }

    public Status getStatus() {
        return status;
    }

    public String getError() {
        return error;
    }

    public Instant getLastEvaluatedAt() {
        return lastEvaluatedAt;
    }

    public Instant getLastSyncedAt() {
        return lastSyncedAt;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
