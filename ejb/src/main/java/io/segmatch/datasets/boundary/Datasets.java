package io.segmatch.datasets.boundary;

import io.segmatch.access.boundary.AuditTrail;
import io.segmatch.datasets.control.IdentifierGuesser;
import io.segmatch.datasets.control.RowValues;
import io.segmatch.datasets.control.SpooledUpload;
import io.segmatch.datasets.control.UploadProcessor;
import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.datasets.entity.DatasetColumn;
import io.segmatch.datasets.entity.Upload;
import io.segmatch.datasets.store.RowStore;
import io.segmatch.datasets.store.StoredRow;
import io.segmatch.datasets.store.TypedRows;
import io.segmatch.membership.store.ProcessingRuns;
import io.segmatch.segments.entity.Segment;
import io.segmatch.segments.evaluation.RuleRequest;
import io.segmatch.segments.evaluation.RuleValidator;
import io.segmatch.segments.store.SegmentReferences;
import io.segmatch.segments.store.DeletedSegments;
import io.segmatch.shared.control.Meters;
import io.segmatch.shared.error.SegmatchException.FieldError;
import io.segmatch.shared.error.SegmatchException;
import io.segmatch.shared.store.DataSourceConfig;
import io.segmatch.shared.store.Jdbc;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * The datasets boundary: uploads, dataset metadata and single rows. Each method is one
 * transaction; writes to one dataset are serialised by locking its row.
 */
@Stateless
public class Datasets {

    @PersistenceContext(unitName = "segmatch")
    EntityManager em;

    @Resource(lookup = DataSourceConfig.JNDI_NAME)
    DataSource dataSource;

    @Inject
    @ConfigProperty(name = "segmatch.upload.max-rejected-share", defaultValue = "0.5")
    double maxRejectedShare;

    private final RowStore rows = new RowStore();

    @Inject
    Meters meters;

    @EJB
    AuditTrail audit;

    /** The parameters of an upload as the API receives them. */
    public record UploadParams(String name, String key, String mode, String encoding, String delimiter, String fileName) {
    }

    /** Creates a dataset from its first upload. */
    public Upload create(SpooledUpload file, UploadParams params) {
        UploadProcessor.Mode mode = UploadProcessor.Mode.parse(params.mode());
        String name = datasetName(params);
        Instant started = now();
        return withConnection(c -> {
            String id = UUID.randomUUID().toString();
            var outcome = UploadProcessor.apply(c, id, null, file, options(params, mode));
            Dataset dataset = new Dataset(id, name, outcome.keyColumn(), started);
            for (DatasetColumn column : outcome.newColumns()) {
                dataset.addColumn(column.getName(), column.getType());
            }
            IdentifierGuesser.guess(dataset.getIdentifiers(), outcome.uploadColumns());
            dataset.addRows(outcome.counts().inserted() - outcome.counts().deleted(), started);
            em.persist(dataset);
            requestRun(c, outcome, "an upload created dataset " + id);
            meters.uploaded(outcome.counts());
            Upload upload = record(dataset, outcome, mode, params.fileName(), file.size(), started);
            audit.record("dataset_created", id, "name " + name + "; " + counts(upload));
            return upload;
        });
    }

    /** Applies an upload to an existing dataset. */
    public Upload upload(String datasetId, SpooledUpload file, UploadParams params) {
        UploadProcessor.Mode mode = UploadProcessor.Mode.parse(params.mode());
        Instant started = now();
        return withConnection(c -> {
            Dataset dataset = lock(datasetId);
            var schema = new UploadProcessor.Schema(dataset.getKeyColumn(), List.copyOf(dataset.getColumns()),
                    dataset.getRowCount());
            var outcome = UploadProcessor.apply(c, datasetId, schema, file, options(params, mode));
            for (DatasetColumn column : outcome.newColumns()) {
                dataset.addColumn(column.getName(), column.getType());
            }
            IdentifierGuesser.guess(dataset.getIdentifiers(), outcome.newColumns().stream().map(DatasetColumn::getName).toList());
            dataset.addRows(outcome.counts().inserted() - outcome.counts().deleted(), started);
            requestRun(c, outcome, "an upload to dataset " + datasetId);
            meters.uploaded(outcome.counts());
            Upload upload = record(dataset, outcome, mode, params.fileName(), file.size(), started);
            audit.record("upload", datasetId, "mode " + mode.name().toLowerCase(Locale.ROOT) + "; " + counts(upload));
            return upload;
        });
    }

    public List<Dataset> list() {
        return em.createNamedQuery(Dataset.ALL, Dataset.class).getResultList();
    }

    /** When each dataset last received an upload (datasets without one are absent). */
    public Map<String, Instant> lastUploads() {
        Map<String, Instant> last = new HashMap<>();
        for (Object[] row : em.createQuery("SELECT u.datasetId, MAX(u.finishedAt) FROM Upload u GROUP BY u.datasetId",
                Object[].class).getResultList()) {
            last.put((String) row[0], (Instant) row[1]);
        }
        return last;
    }

    public Dataset get(String id) {
        Dataset dataset = em.find(Dataset.class, id);
        if (dataset == null) {
            throw notFound(id);
        }
        return dataset;
    }

    /** The latest uploads of a dataset, newest first. */
    public List<Upload> uploads(String datasetId, int limit) {
        get(datasetId);
        return em.createNamedQuery(Upload.BY_DATASET, Upload.class).setParameter("datasetId", datasetId)
                .setMaxResults(limit).getResultList();
    }

    public Upload upload(String datasetId, String uploadId) {
        Upload upload = em.find(Upload.class, uploadId);
        if (upload == null || !upload.getDatasetId().equals(datasetId)) {
            throw SegmatchException.notFound("upload-not-found", "no upload " + uploadId + " in dataset " + datasetId);
        }
        return upload;
    }

    /** Changes a dataset's name, column types and identifier roles; all or nothing. */
    public Dataset patch(String id, DatasetPatch patch) {
        Dataset dataset = lock(id);
        List<FieldError> errors = patch.validate(dataset);
        if (!errors.isEmpty()) {
            throw SegmatchException.invalid("invalid-dataset", errors.get(0).message(), errors);
        }
        Instant now = now();
        if (patch.name() != null) {
            dataset.rename(patch.name().trim(), now);
        }
        patch.columns().forEach((column, type) ->
                dataset.column(column).orElseThrow().setType(ColumnType.fromApiName(type).orElseThrow()));
        if (!patch.columns().isEmpty()) {
            segmentsAfterTypeChange(dataset, now);
            withConnection(c -> {
                TypedRows.rebuild(c, id, TypedRows.of(dataset.getColumns()));
                return null;
            });
        }
        patch.applyIdentifiers(dataset);
        dataset.touch(now);
        audit.record("dataset_changed", id, (patch.name() != null ? "renamed; " : "")
                + (patch.columns().isEmpty() ? "" : "types of " + String.join(", ", patch.columns().keySet()) + " set; ")
                + "identifiers as given");
        return dataset;
    }

    /**
     * A type change is a definition change for the segments of the dataset: each must still be
     * a valid rule (else 409 naming it, and nothing changes) and is evaluated again.
     */
    private void segmentsAfterTypeChange(Dataset dataset, Instant now) {
        List<Segment> segments = segmentsOf(dataset.getId());
        withConnection(c -> {
            // a rule that refers to another segment reads that segment's rule with the new types too
            RuleValidator.Segments references = SegmentReferences.lookup(c);
            for (Segment segment : segments) {
                try (var reader = JSON.createReader(new StringReader(segment.getConditionsJson()))) {
                    RuleValidator.validate(RuleRequest.of(segment.getLogic().name(), reader.readArray()), dataset, references,
                            segment.getId());
                } catch (SegmatchException e) {
                    throw SegmatchException.conflict("type-change-breaks-segment", "the segment '" + segment.getName()
                            + "' could no longer use this column with that type (" + e.getMessage()
                            + "); change the segment first");
                }
            }
            return null;
        });
        segments.forEach(segment -> segment.definitionChanged(now));
        if (!segmentsOf(dataset.getId()).isEmpty()) {
            withConnection(c -> ProcessingRuns.request(c, "column types of dataset " + dataset.getId() + " changed"));
        }
    }

    public void delete(String id) {
        Dataset dataset = lock(id);
        List<String> segments = segmentsOf(id).stream().map(Segment::getName).toList();
        if (!segments.isEmpty()) {
            throw SegmatchException.conflict("dataset-in-use", "the dataset is used by "
                    + (segments.size() == 1 ? "the segment " : segments.size() + " segments: ")
                    + String.join(", ", segments) + "; delete those first");
        }
        withConnection(c -> {
            // deleted segments stay until a run has recorded their members' exits
            Optional<String> leaving = DeletedSegments.stillLeaving(c, id);
            if (leaving.isPresent()) {
                throw SegmatchException.conflict("dataset-in-use", "the segment " + leaving.get()
                        + " of this dataset is being deleted: its members leave with the next processing run; "
                        + "try again in a minute");
            }
            DeletedSegments.forget(c, id);
            rows.deleteDataset(c, id);
            return null;
        });
        em.remove(dataset);
        audit.record("dataset_deleted", id, "name " + dataset.getName());
    }

    public StoredRow row(String datasetId, String rawKey) {
        String key = RowValues.key(get(datasetId), rawKey, false);
        return withConnection(c -> rows.find(c, datasetId, key)).orElseThrow(() -> rowNotFound(datasetId, key));
    }

    public List<StoredRow> rows(String datasetId, String afterKey, int limit) {
        get(datasetId);
        SegmatchException.storable("after", afterKey);
        return withConnection(c -> rows.page(c, datasetId, afterKey, limit));
    }

    /** Sets some values of an existing row; a null value clears one. */
    public StoredRow patchRow(String datasetId, String rawKey, Map<String, String> changes) {
        Dataset dataset = lock(datasetId);
        String key = RowValues.key(dataset, rawKey, false);
        Map<String, String> checked = RowValues.check(dataset, key, changes);
        return withConnection(c -> {
            StoredRow row = rows.find(c, datasetId, key).orElseThrow(() -> rowNotFound(datasetId, key));
            Map<String, String> merged = RowValues.merge(row.values(), checked);
            Instant now = now();
            if (rows.update(c, datasetId, key, merged, now)) {
                dataset.touch(now);
                ProcessingRuns.request(c, "a row of dataset " + datasetId + " changed");
                meters.rowWritten("updated");
            } else {
                meters.rowWritten("unchanged");
            }
            audit.record("rows_changed", datasetId, "1 row patched");
            return rows.find(c, datasetId, key).orElseThrow();
        });
    }

    /** The result of a PUT: the row, and whether it was created. */
    public record PutResult(StoredRow row, boolean created) {
    }

    /** Replaces a row's values (columns not given become missing), creating the row if needed. */
    public PutResult putRow(String datasetId, String rawKey, Map<String, String> values) {
        Dataset dataset = lock(datasetId);
        String key = RowValues.key(dataset, rawKey, true);
        Map<String, String> checked = RowValues.check(dataset, key, values);
        Map<String, String> full = RowValues.merge(Map.of(), checked);
        full.put(dataset.getKeyColumn(), key);
        return withConnection(c -> {
            Instant now = now();
            Optional<StoredRow> existing = rows.find(c, datasetId, key);
            if (existing.isPresent()) {
                if (rows.update(c, datasetId, key, full, now)) {
                    dataset.touch(now);
                    ProcessingRuns.request(c, "a row of dataset " + datasetId + " changed");
                    meters.rowWritten("updated");
                } else {
                    meters.rowWritten("unchanged");
                }
            } else {
                rows.insert(c, datasetId, key, full, now);
                dataset.addRows(1, now);
                ProcessingRuns.request(c, "a row was added to dataset " + datasetId);
                meters.rowWritten("inserted");
            }
            audit.record("rows_changed", datasetId, existing.isPresent() ? "1 row replaced" : "1 row added");
            return new PutResult(rows.find(c, datasetId, key).orElseThrow(), existing.isEmpty());
        });
    }

    public void deleteRow(String datasetId, String rawKey) {
        Dataset dataset = lock(datasetId);
        String key = RowValues.key(dataset, rawKey, false);
        Instant now = now();
        if (!withConnection(c -> rows.delete(c, datasetId, key, now)
                && ProcessingRuns.request(c, "a row of dataset " + datasetId + " was deleted"))) {
            throw rowNotFound(datasetId, key);
        }
        dataset.addRows(-1, now);
        meters.rowWritten("deleted");
        audit.record("rows_changed", datasetId, "1 row deleted");
    }

    /** An upload's counts for the audit log (numbers only, never values). */
    private static String counts(Upload u) {
        Upload.Counts n = u.getCounts();
        return n.read() + " read, " + n.inserted() + " inserted, " + n.updated() + " updated, " + n.deleted()
                + " deleted, " + n.rejected() + " rejected";
    }

    private List<Segment> segmentsOf(String datasetId) {
        return em.createNamedQuery(Segment.BY_DATASET, Segment.class).setParameter("datasetId", datasetId)
                .getResultList();
    }

    private Dataset lock(String id) {
        Dataset dataset = em.find(Dataset.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (dataset == null) {
            throw notFound(id);
        }
        return dataset;
    }

    private Upload record(Dataset dataset, UploadProcessor.Outcome outcome, UploadProcessor.Mode mode,
                          String fileName, long size, Instant started) {
        JsonArrayBuilder columns = JSON.createArrayBuilder();
        for (DatasetColumn column : dataset.getColumns()) {
            if (outcome.uploadColumns().contains(column.getName())) {
                columns.add(JSON.createObjectBuilder().add("name", column.getName()).add("type", column.getType().apiName()));
            }
        }
        JsonArrayBuilder errors = JSON.createArrayBuilder();
        outcome.errors().forEach(e -> errors.add(JSON.createObjectBuilder().add("line", e.line()).add("message", e.message())));
        Upload upload = new Upload(UUID.randomUUID().toString(), dataset.getId(), mode.apiName(), fileName, size,
                outcome.dialect().encodingName(), outcome.dialect().delimiterText(), outcome.keyColumn(),
                outcome.counts(), columns.build().toString(), errors.build().toString(), started, now());
        em.persist(upload);
        return upload;
    }

    private UploadProcessor.Options options(UploadParams params, UploadProcessor.Mode mode) {
        return new UploadProcessor.Options(params.key(), mode, params.encoding(), params.delimiter(), maxRejectedShare);
    }

    private static String datasetName(UploadParams params) {
        String name = params.name();
        if ((name == null || name.isBlank()) && params.fileName() != null && !params.fileName().isBlank()) {
            name = params.fileName().replaceFirst("\\.[A-Za-z0-9]{1,5}$", "");
        }
        if (name == null || name.isBlank()) {
            name = "Dataset " + now().truncatedTo(ChronoUnit.SECONDS);
        }
        name = SegmatchException.storable("name", name.trim());
        if (name.length() > 200) {
            throw SegmatchException.invalid("invalid-parameter", "the dataset name is longer than 200 characters",
                    List.of(FieldError.field("name", "at most 200 characters")));
        }
        return name;
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    static SegmatchException notFound(String id) {
        return SegmatchException.notFound("dataset-not-found", "no dataset with id " + id);
    }

    static SegmatchException rowNotFound(String datasetId, String key) {
        return SegmatchException.notFound("row-not-found", "dataset " + datasetId + " has no row with key '" + key + "'");
    }

    @FunctionalInterface
    interface JdbcWork<T> {
        T run(Connection c) throws SQLException, IOException;
    }

    /** Asks for a prompt processing run when an upload changed rows (in the upload's transaction). */
    private static void requestRun(Connection c, UploadProcessor.Outcome outcome, String reason) throws SQLException {
        var n = outcome.counts();
        if (n.inserted() + n.updated() + n.deleted() > 0) {
            ProcessingRuns.request(c, reason);
        }
    }

    private <T> T withConnection(JdbcWork<T> work) {
        return Jdbc.run(dataSource, c -> {
            try {
                return work.run(c);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
