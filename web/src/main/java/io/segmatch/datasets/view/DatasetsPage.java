package io.segmatch.datasets.view;

import io.segmatch.datasets.boundary.Datasets;
import io.segmatch.datasets.entity.Dataset;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The datasets list ({@code /datasets/index.xhtml}). */
@Named
@RequestScoped
public class DatasetsPage {

    @Inject
    Datasets datasets;

    private List<Dataset> all;
    private Map<String, Instant> lastUploads;

    @PostConstruct
    void load() {
        all = datasets.list();
        lastUploads = datasets.lastUploads();
    }

    /** When the dataset last received an upload, or null. */
    public Instant lastUpload(String datasetId) {
        return lastUploads.get(datasetId);
    }

    public List<Dataset> getDatasets() {
        return all;
    }

    /** "3 minutes ago", for the console's times (the exact time is in the title). */
    public String ago(Instant time) {
        return Ago.of(time, Instant.now());
    }

    /** Relative times as a person reads them. */
    public static final class Ago {
        private Ago() {
        }

        public static String of(Instant time, Instant now) {
            if (time == null) {
                return "never";
            }
            long s = Math.max(0, Duration.between(time, now).getSeconds());
            if (s < 45) {
                return "just now";
            }
            if (s < 90 * 60) {
                long m = Math.max(1, Math.round(s / 60.0));
                return m + (m == 1 ? " minute ago" : " minutes ago");
            }
            if (s < 36 * 3600) {
                long h = Math.round(s / 3600.0);
                return h + (h == 1 ? " hour ago" : " hours ago");
            }
            long d = Math.round(s / 86400.0);
            return d + (d == 1 ? " day ago" : " days ago");
        }
    }
}
