package io.segmatch.datasets.entity;

import io.segmatch.shared.entity.InstantConverter;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A customer table: its key column, its typed columns, and its identifier roles. */
@Entity
@Table(name = "dataset")
@NamedQuery(name = Dataset.ALL, query = "SELECT d FROM Dataset d ORDER BY d.createdAt, d.id")
public class Dataset {

    public static final String ALL = "Dataset.all";

    @Id
    private String id;

    @Column(nullable = false)
    private String name;

    @Column(name = "key_column", nullable = false)
    private String keyColumn;

    @Column(name = "row_count", nullable = false)
    private long rowCount;

    /** Incremented with every change of the dataset's rows (see {@link #touch}). */
    @Column(name = "row_version", nullable = false)
    private long rowVersion;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "dataset_column", joinColumns = @JoinColumn(name = "dataset_id"))
    @OrderColumn(name = "position")
    private List<DatasetColumn> columns = new ArrayList<>();

    @Embedded
    private Identifiers identifiers = new Identifiers();

    @Column(name = "created_at", nullable = false)
    @Convert(converter = InstantConverter.class)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    @Convert(converter = InstantConverter.class)
    private Instant updatedAt;

    protected Dataset() {
    }

    public Dataset(String id, String name, String keyColumn, Instant now) {
        this.id = id;
        this.name = name;
        this.keyColumn = keyColumn;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public String getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public void rename(String name, Instant now) {
        this.name = name;
        touch(now);
    }

    public String getKeyColumn() {
        return keyColumn;
    }

    public long getRowCount() {
        return rowCount;
    }

    public void addRows(long delta, Instant now) {
        this.rowCount += delta;
        touch(now);
    }

    public List<DatasetColumn> getColumns() {
        return Collections.unmodifiableList(columns);
    }

    /** The column with this name, ignoring case, as header names are unique ignoring case. */
    public Optional<DatasetColumn> column(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return columns.stream().filter(c -> c.getName().toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
    }

    public void addColumn(String name, ColumnType type) {
        if (column(name).isPresent()) {
            throw new IllegalArgumentException("column exists: " + name);
        }
        columns.add(new DatasetColumn(name, type));
    }

    public Identifiers getIdentifiers() {
        if (identifiers == null) {
            identifiers = new Identifiers();
        }
        return identifiers;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    /** Records a change of the dataset: its rows, its columns or its settings. */
    public void touch(Instant now) {
        this.updatedAt = now;
        this.rowVersion++;
    }

    /**
     * A number that changes whenever the dataset's rows may have changed; every row write
     * holds the dataset's lock and {@linkplain #touch touches} it in the same transaction.
     */
    public long getRowVersion() {
        return rowVersion;
    }
}
