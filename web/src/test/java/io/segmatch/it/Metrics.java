package io.segmatch.it;

/** Reads the server's Prometheus metrics ({@code GET /metrics?scope=application}). */
final class Metrics {

    private Metrics() {
    }

    /**
     * The value of the series with this name whose labels include all of {@code labels}
     * ({@code "status=\"completed\""}, …), or -1 when there is none.
     */
    static double value(Http http, String name, String... labels) {
        String text = http.get("/metrics?scope=application").body();
        for (String line : text.lines().toList()) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }
}
