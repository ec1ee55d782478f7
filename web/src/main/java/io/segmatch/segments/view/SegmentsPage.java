package io.segmatch.segments.view;

import io.segmatch.datasets.boundary.Datasets;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.segments.boundary.Segments;
import io.segmatch.segments.entity.Segment;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The segments list ({@code /segments/index.xhtml}) with status and member counts. */
@Named
@RequestScoped
public class SegmentsPage {

    @Inject
    Segments segments;
    @Inject
    Datasets datasets;

    private List<Segment> all;
    private Map<String, String> datasetNames;

    @PostConstruct
    void load() {
        all = segments.list();
        datasetNames = datasets.list().stream().collect(Collectors.toMap(Dataset::getId, Dataset::getName));
    }

    public List<Segment> getSegments() {
        return all;
    }

    public String datasetName(String id) {
        return datasetNames.getOrDefault(id, id);
    }
}
