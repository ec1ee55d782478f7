package io.segmatch.shared.metrics;

import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * Where the application records its measurements, whatever the server's metrics library is:
 * MicroProfile Metrics on Payara, Micrometer on WildFly ({@link ServerMeasurements} picks one).
 * The series names and labels are the same on both.
 */
public interface Measurements {

    /** Adds {@code amount} to a counter; {@code labelValues} in the order of the series' labels. */
    void count(Series counter, long amount, String... labelValues);

    /** Records one duration of a timer. */
    void time(Series timer, Duration duration, String... labelValues);

    /** A gauge whose value is read from {@code object} whenever the metrics are scraped. */
    <T> void gauge(Series gauge, T object, ToDoubleFunction<T> value);
}
