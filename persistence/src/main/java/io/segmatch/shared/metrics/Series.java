package io.segmatch.shared.metrics;

import java.util.List;

/**
 * One of the application's series: its Prometheus base name (without {@code _total} or a unit
 * suffix: the server's exporter adds them), what it measures, and the names of its labels in the
 * order their values are given. docs/operations.md lists them all.
 */
public record Series(String name, String description, List<String> labels) {

    public Series {
        labels = List.copyOf(labels);
    }

    public static Series of(String name, String description, String... labels) {
        return new Series(name, description, List.of(labels));
    }

    /** Checks that the values fit the labels. */
    void check(String... values) {
        if (values.length != labels.size()) {
            throw new IllegalArgumentException(name + " takes the labels " + labels + ", not "
                    + values.length + " value(s)");
        }
    }
}
