package io.segmatch.segments.boundary;

import io.segmatch.access.boundary.AuditTrail;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.membership.store.LiveSegments;
import io.segmatch.membership.store.MemberHistory;
import io.segmatch.membership.store.MemberPages;
import io.segmatch.membership.store.ProcessingRuns;
import io.segmatch.segments.control.PreviewWindows;
import io.segmatch.segments.control.SegmentDefinition;
import io.segmatch.segments.entity.Segment;
import io.segmatch.segments.evaluation.RuleValidator;
import io.segmatch.segments.store.Preview;
import io.segmatch.segments.store.SegmentReferences;
import io.segmatch.shared.error.SegmatchException.FieldError;
import io.segmatch.shared.error.SegmatchException;
import io.segmatch.shared.store.DataSourceConfig;
import io.segmatch.shared.store.Jdbc;
import io.segmatch.shared.store.Transactions;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;

/** The segments boundary: definitions (create, read, update, delete) and the builder's live preview. */
@Stateless
public class Segments {

    public static final int DEFAULT_PREVIEW_ROWS = 10_000;

    @PersistenceContext(unitName = "segmatch")
    EntityManager em;

    @Resource(lookup = DataSourceConfig.JNDI_NAME)
    DataSource dataSource;

    @Inject
    PreviewWindows windows;

    @EJB
    AuditTrail audit;

    /**
     * Creates a segment.
     *
     * @param mayChangeActivation whether the caller may turn activation on (admins only)
     */
    public Segment create(SegmentRequest request, boolean mayChangeActivation) {
        SegmentDefinition definition = define(request, null);
        requireActivationRight(null, definition.activationJson(), mayChangeActivation);
        Instant now = now();
        Segment segment = new Segment(UUID.randomUUID().toString(), now);
        segment.define(definition.name(), request.datasetId(), definition.rule().logic(), definition.conditionsJson(),
                definition.activationJson(), now);
        em.persist(segment);
        requestRun("segment " + segment.getId() + " was created");
        audit.record("segment_created", segment.getId(), "name " + definition.name());
        if (definition.activationJson() != null) {
            audit.record("activation_changed", segment.getId(), "activation " + definition.activationJson());
        }
        return segment;
    }

    public List<Segment> list() {
        return em.createNamedQuery(Segment.ALL, Segment.class).getResultList();
    }

    public Segment get(String id) {
        Segment segment = em.find(Segment.class, id);
        if (segment == null || segment.isDeleted()) {
            throw SegmatchException.notFound("segment-not-found", "no segment with id " + id);
        }
        return segment;
    }

    /** Replaces a segment's definition; a changed rule makes it pending until a run re-evaluates it. */
    public Segment update(String id, SegmentRequest request, boolean mayChangeActivation) {
        Segment segment = get(id);
        SegmentDefinition definition = define(request, id);
        if (!segment.getDatasetId().equals(request.datasetId())) {
            refuseIfReferenced(segment, "moved to another dataset");
        }
        String activationBefore = segment.getActivationJson();
        requireActivationRight(activationBefore, definition.activationJson(), mayChangeActivation);
        long version = segment.getDefinitionVersion();
        segment.define(definition.name(), request.datasetId(), definition.rule().logic(), definition.conditionsJson(),
                definition.activationJson(), now());
        if (segment.getDefinitionVersion() != version) {
            requestRun("segment " + id + " changed");
        }
        audit.record("segment_changed", id, "name " + definition.name());
        if (!Objects.equals(activationBefore, definition.activationJson())) {
            audit.record("activation_changed", id, "activation " + definition.activationJson());
        }
        return segment;
    }

    /**
     * Reads a definition with the graph of references locked (until the transaction ends), so
     * that the segments its rule refers to stay as read, and no cycle or dangling reference
     * can be made by two saves at once.
     */
    private SegmentDefinition define(SegmentRequest request, String selfId) {
        Dataset dataset = dataset(request.datasetId());
        return query(c -> {
            SegmentReferences.lockGraph(c);
            return SegmentDefinition.read(request, dataset, SegmentReferences.lookup(c), selfId);
        });
    }

    /** A segment other segments refer to stays (409 naming them): their rules read its rule. */
    private void refuseIfReferenced(Segment segment, String what) {
        List<SegmentReferences.Referrer> referrers = query(c -> {
            SegmentReferences.lockGraph(c);
            return SegmentReferences.referrers(c, segment.getId());
        });
        if (!referrers.isEmpty()) {
            throw SegmatchException.conflict("segment-referenced", "the segment '" + segment.getName() + "' cannot be "
                    + what + ": " + (referrers.size() == 1 ? "the segment " : "the segments ")
                    + String.join(", ", referrers.stream().map(r -> "'" + r.name() + "' (" + r.id() + ")").toList())
                    + (referrers.size() == 1 ? " refers" : " refer") + " to it; change "
                    + (referrers.size() == 1 ? "that segment" : "those segments") + " first");
        }
    }

    /** Turning a segment's activation on or off, or changing it, is the admin's. */
    private static void requireActivationRight(String before, String after, boolean mayChangeActivation) {
        if (!mayChangeActivation && !Objects.equals(before, after)) {
            throw SegmatchException.forbidden("activation-needs-admin",
                    "only an admin may enable, disable or change a segment's activation; send the current activation unchanged");
        }
    }

    /**
     * Deletes a segment: gone from the API at once; the next run records its members' exits.
     * An activated segment's members then leave its Customer Match list: turning its activation
     * off that way is the admin's, like any change of it.
     *
     * @param mayChangeActivation whether the caller may change activation (admins only)
     */
    public void delete(String id, boolean mayChangeActivation) {
        Segment segment = get(id);
        if (!mayChangeActivation && LiveSegments.activated(segment.getActivationJson())) {
            throw SegmatchException.forbidden("activation-needs-admin",
                    "the segment is activated: deleting it removes its members from its Customer Match list, which only an "
                            + "admin may do (or an admin switches its activation off first)");
        }
        refuseIfReferenced(segment, "deleted");
        segment.delete(now());
        requestRun("segment " + id + " was deleted");
        audit.record("segment_deleted", id, "name " + segment.getName());
    }

    /** A page of a segment's members (keyset paging by key; {@code prefix} filters keys). */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<MemberPages.Member> members(String id, String afterKey, String prefix, int limit) {
        get(id);
        SegmatchException.storable("after", afterKey);
        SegmatchException.storable("prefix", prefix);
        return query(c -> MemberPages.members(c, id, afterKey, prefix == null || prefix.isEmpty() ? null : prefix, limit));
    }

    /** A page of a segment's enter/exit log (oldest first after an id, or newest first). */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<MemberPages.Change> changes(String id, long afterId, int limit, boolean newestFirst) {
        get(id);
        return query(c -> MemberPages.changes(c, id, afterId, limit, newestFirst));
    }

    /** The segment's member count after each of the newest runs that changed it, oldest first. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<MemberHistory.Point> history(String id, int limit) {
        get(id);
        return query(c -> MemberHistory.history(c, id, limit));
    }

    /** The runs that changed a segment's members, newest first. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<ProcessingRuns.Run> runs(String id, int limit) {
        get(id);
        return query(c -> ProcessingRuns.ofSegment(c, id, limit));
    }

    private <T> T query(Transactions.Work<T> work) {
        return Jdbc.run(dataSource, work);
    }

    private void requestRun(String reason) {
        query(c -> ProcessingRuns.request(c, reason));
    }

    /** The preview result with the dataset it ran on (for the sample's column order). */
    public record PreviewResult(Preview.Result result, Dataset dataset) {
    }

    /**
     * Counts matches among the first {@code limit} rows (0: all) without saving anything.
     * Up to {@value PreviewWindows#SIZE} rows are evaluated in Java over the rows held in
     * memory (read again whenever the dataset's rows changed); larger scans run in
     * PostgreSQL. Both evaluators give the same answers (the shared evaluator suite).
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public PreviewResult preview(PreviewRequest request) {
        Dataset dataset = dataset(request.datasetId());
        if (dataset == null) {
            throw SegmatchException.invalid("invalid-rule", "datasetId: no such dataset",
                    List.of(FieldError.field("datasetId", "the id of an existing dataset")));
        }
        int limit = limit(request.limit());
        Instant now = Instant.now();
        return query(c -> {
            var rule = RuleValidator.validate(request.rule(), dataset, SegmentReferences.lookup(c), null);
            if (limit > 0 && limit <= PreviewWindows.SIZE) {
                // the version was read with the dataset, before the rows: see PreviewWindows
                var rows = windows.firstRows(c, dataset.getId(), dataset.getRowVersion());
                return new PreviewResult(Preview.inMemory(rows, rule, limit, now), dataset);
            }
            return new PreviewResult(Preview.run(c, dataset.getId(), rule, limit, dataset.getRowCount(), now), dataset);
        });
    }

    private static int limit(Long limit) {
        if (limit == null) {
            return DEFAULT_PREVIEW_ROWS;
        }
        if (limit >= 0 && limit <= Integer.MAX_VALUE) {
            return limit.intValue();
        }
        throw SegmatchException.invalid("invalid-rule", "limit: a whole number of rows, 0 for all",
                List.of(FieldError.field("limit", "a whole number of rows to scan, 0 for all")));
    }

    private Dataset dataset(String id) {
        return id == null ? null : em.find(Dataset.class, id);
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
