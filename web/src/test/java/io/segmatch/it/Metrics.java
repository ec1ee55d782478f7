package io.segmatch.it;

/**
 * Reads the server's Prometheus metrics: {@code GET /metrics?scope=application} on Payara, or the
 * URL in the system property {@code segmatch.it.metrics} (WildFly's management interface).
 */
final class Metrics {

    private Metrics() {
    }

    /** The Prometheus text of the application's metrics. */
    static String text(Http http) {
        String url = System.getProperty("segmatch.it.metrics", "");
        // WildFly's management interface takes one of its own users (segmatch.it.metrics.user)
        var response = url.isBlank() ? http.get("/metrics?scope=application") : http.managementUser().get(url);
        if (response.status() != 200) {
            throw new AssertionError("metrics answered " + response.status() + ": " + response.body());
        }
        return response.body();
    }

    /**
     * The value of the series with this name whose labels include all of {@code labels}
     * ({@code "status=\"completed\""}, …), or -1 when there is none.
     */
    static double value(Http http, String name, String... labels) {
        String text = text(http);
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
