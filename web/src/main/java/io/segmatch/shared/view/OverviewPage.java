package io.segmatch.shared.view;

import io.segmatch.datasets.boundary.Datasets;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.processing.boundary.Processing;
import io.segmatch.segments.boundary.Segments;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.List;

/** The console's home page ({@code /index.xhtml}): how much data, how many segments, what is waiting. */
@Named
@RequestScoped
public class OverviewPage {

    @Inject
    Datasets datasets;
    @Inject
    Segments segments;
    @Inject
    Processing processing;

    private int datasetCount;
    private long rows;
    private int segmentCount;
    private long pendingChanges;

    @PostConstruct
    void load() {
        List<Dataset> all = datasets.list();
        datasetCount = all.size();
        rows = all.stream().mapToLong(Dataset::getRowCount).sum();
        segmentCount = segments.list().size();
        pendingChanges = processing.pendingChanges();
    }

    public int getDatasets() {
        return datasetCount;
    }

    public long getRows() {
        return rows;
    }

    public int getSegments() {
        return segmentCount;
    }

    public long getPendingChanges() {
        return pendingChanges;
    }
}
