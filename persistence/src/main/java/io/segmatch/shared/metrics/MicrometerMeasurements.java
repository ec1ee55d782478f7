package io.segmatch.shared.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.inject.spi.CDI;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Measurements in the server's Micrometer registry (WildFly's micrometer subsystem, which exports
 * them, Prometheus text included). Loaded only where Micrometer is.
 */
final class MicrometerMeasurements implements Measurements, AutoCloseable {

    private final MeterRegistry registry;
    /** The meters this deployment registered: the server's registry outlives the deployment. */
    private final Set<Meter> registered = ConcurrentHashMap.newKeySet();

    MicrometerMeasurements() {
        this.registry = CDI.current().select(MeterRegistry.class).get();
    }

    @Override
    public String toString() {
        return "Micrometer (" + registry.getClass().getName() + ")";
    }

    @Override
    public void count(Series counter, long amount, String... labelValues) {
        var meter = registry.counter(counter.name(), tags(counter, labelValues));
        registered.add(meter);
        meter.increment(amount);
    }

    @Override
    public void time(Series timer, Duration duration, String... labelValues) {
        var meter = registry.timer(timer.name(), tags(timer, labelValues));
        registered.add(meter);
        meter.record(duration);
    }

    @Override
    public <T> void gauge(Series gauge, T object, ToDoubleFunction<T> value) {
        // a gauge left by an earlier deployment of the application reads an object that is gone
        for (var old : registry.find(gauge.name()).meters()) {
            registry.remove(old);
        }
        registry.gauge(gauge.name(), Tags.empty(), object, value);
        registered.addAll(registry.find(gauge.name()).meters());
    }

    /**
     * When the application stops: its meters leave the server's registry, so that a deployment
     * starts counting from zero, as on a server whose registry belongs to the application.
     */
    @Override
    public void close() {
        for (Meter meter : registered) {
            registry.remove(meter);
        }
        registered.clear();
    }

    /** Typed as an Iterable: newer Micrometer versions add overloads taking Tags, which older servers lack. */
    private static Iterable<Tag> tags(Series series, String... values) {
        Tags tags = Tags.empty();
        for (int i = 0; i < values.length; i++) {
            tags = tags.and(series.labels().get(i), values[i]);
        }
        return tags;
    }
}
