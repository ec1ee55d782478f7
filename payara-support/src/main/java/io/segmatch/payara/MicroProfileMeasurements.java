package io.segmatch.payara;

import io.segmatch.shared.metrics.Measurements;
import io.segmatch.shared.metrics.Series;
import io.segmatch.shared.metrics.ServerRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * Measurements in MicroProfile Metrics' application registry, on Payara (Micro and Server). The
 * registry comes through an injection point: Payara's producer reads the registry's scope from
 * it, and fails for a programmatic lookup.
 */
@ApplicationScoped
@ServerRegistry
public class MicroProfileMeasurements implements Measurements {

    @Inject
    MetricRegistry registry;

    @Override
    public String toString() {
        return "MicroProfile Metrics (" + registry.getClass().getName() + ")";
    }

    @Override
    public void count(Series counter, long amount, String... labelValues) {
        registry.counter(metadata(counter, MetricUnits.NONE), tags(counter, labelValues)).inc(amount);
    }

    @Override
    public void time(Series timer, Duration duration, String... labelValues) {
        registry.timer(metadata(timer, MetricUnits.NANOSECONDS), tags(timer, labelValues)).update(duration);
    }

    @Override
    public <T> void gauge(Series gauge, T object, ToDoubleFunction<T> value) {
        registry.gauge(metadata(gauge, MetricUnits.NONE), object, value::applyAsDouble);
    }

    private static Metadata metadata(Series series, String unit) {
        return Metadata.builder().withName(series.name()).withDescription(series.description()).withUnit(unit).build();
    }

    private static Tag[] tags(Series series, String... values) {
        Tag[] tags = new Tag[values.length];
        for (int i = 0; i < values.length; i++) {
            tags[i] = new Tag(series.labels().get(i), values[i]);
        }
        return tags;
    }
}
