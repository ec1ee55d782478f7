package io.segmatch.datasets.entity;

import io.segmatch.shared.entity.InstantConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * The summary of one applied upload (docs/datasets.md, "Summary"), kept as the dataset's
 * upload history. Columns and errors are stored as the JSON the API returns.
 */
@Entity
@Table(name = "upload")
@NamedQuery(name = Upload.BY_DATASET,
        query = "SELECT u FROM Upload u WHERE u.datasetId = :datasetId ORDER BY u.finishedAt DESC, u.id")
public class Upload {

    public static final String BY_DATASET = "Upload.byDataset";

    @Id
    private String id;
    @Column(name = "dataset_id", nullable = false)
    private String datasetId;
    private String mode;
    @Column(name = "file_name")
    private String fileName;
    @Column(name = "size_bytes")
    private long sizeBytes;
    private String encoding;
    private String delimiter;
    @Column(name = "key_column")
    private String keyColumn;
    @Column(name = "read_count")
    private long read;
    private long inserted;
    private long updated;
    private long unchanged;
    private long rejected;
    private long duplicates;
    private long deleted;
    @Column(name = "columns_json")
    private String columnsJson;
    @Column(name = "errors_json")
    private String errorsJson;
    @Column(name = "started_at")
    @Convert(converter = InstantConverter.class)
    private Instant startedAt;
    @Column(name = "finished_at")
    @Convert(converter = InstantConverter.class)
    private Instant finishedAt;

    protected Upload() {
    }

    public Upload(String id, String datasetId, String mode, String fileName, long sizeBytes,
                  String encoding, String delimiter, String keyColumn, Counts counts,
                  String columnsJson, String errorsJson, Instant startedAt, Instant finishedAt) {
        this.id = id;
        this.datasetId = datasetId;
        this.mode = mode;
        this.fileName = fileName;
        this.sizeBytes = sizeBytes;
        this.encoding = encoding;
        this.delimiter = delimiter;
        this.keyColumn = keyColumn;
        this.read = counts.read();
        this.inserted = counts.inserted();
        this.updated = counts.updated();
        this.unchanged = counts.unchanged();
        this.rejected = counts.rejected();
        this.duplicates = counts.duplicates();
        this.deleted = counts.deleted();
        this.columnsJson = columnsJson;
        this.errorsJson = errorsJson;
        this.startedAt = startedAt;
        this.finishedAt = finishedAt;
    }

    /** The counts of an upload; read = inserted + updated + unchanged + rejected + duplicates. */
    public record Counts(long read, long inserted, long updated, long unchanged,
                         long rejected, long duplicates, long deleted) {
    }

    public String getId() {
        return id;
    }

    public String getDatasetId() {
        return datasetId;
    }

    public String getMode() {
        return mode;
    }

    public String getFileName() {
        return fileName;
    }

    public long getSizeBytes() {
        return sizeBytes;
    }

    public String getEncoding() {
        return encoding;
    }

    public String getDelimiter() {
        return delimiter;
    }

    public String getKeyColumn() {
        return keyColumn;
    }

    public Counts getCounts() {
        return new Counts(read, inserted, updated, unchanged, rejected, duplicates, deleted);
    }

    public String getColumnsJson() {
        return columnsJson;
    }

    public String getErrorsJson() {
        return errorsJson;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }
}
