/**
 * The application's metrics, recorded through one small interface ({@link io.segmatch.shared.metrics.Measurements})
 * onto whatever the server provides: MicroProfile Metrics on Payara, Micrometer on WildFly.
 */
package io.segmatch.shared.metrics;
