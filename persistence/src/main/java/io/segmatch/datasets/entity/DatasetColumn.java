package io.segmatch.datasets.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import java.util.Objects;

/** One column of a dataset: its name as in the CSV header, and its type. */
@Embeddable
public class DatasetColumn {

    @Column(name = "name", nullable = false)
    private String name;

    @Column(name = "type", nullable = false)
    @jakarta.persistence.Convert(converter = ColumnTypeConverter.class)
    private ColumnType type;

    protected DatasetColumn() {
    }

    public DatasetColumn(String name, ColumnType type) {
        this.name = Objects.requireNonNull(name);
        this.type = Objects.requireNonNull(type);
    }

    public String getName() {
        return name;
    }

    public ColumnType getType() {
        return type;
    }

    public void setType(ColumnType type) {
        this.type = Objects.requireNonNull(type);
    }
}
