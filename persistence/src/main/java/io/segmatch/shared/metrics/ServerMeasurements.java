package io.segmatch.shared.metrics;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.CDI;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link Measurements} of the server the application runs on, chosen by what the server
 * provides: a {@link ServerRegistry} bean of a server-specific module when there is one (Payara:
 * MicroProfile Metrics, in module payara-support), otherwise Micrometer when the server has it
 * (WildFly's micrometer subsystem; loaded by name, so that Micrometer need not be present
 * elsewhere). With neither, measurements are dropped and the server log says so once.
 */
@ApplicationScoped
public class ServerMeasurements implements Measurements {

    private static final Logger LOG = Logger.getLogger(ServerMeasurements.class.getName());

    static final String MICROMETER = "io.micrometer.core.instrument.MeterRegistry";

    private Measurements chosen;

    @PostConstruct
    void choose() {
        chosen = choose(ServerMeasurements.class.getClassLoader());
        LOG.info(() -> "Segmatch's metrics go to " + chosen);
    }

    /** The application stops: the chosen registry forgets its meters if it outlives the application. */
    @PreDestroy
    void stop() {
        if (chosen instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "could not remove Segmatch's meters", e);
            }
        }
    }

    static Measurements choose(ClassLoader loader) {
        try {
            var provided = CDI.current().select(Measurements.class, ServerRegistry.Literal.INSTANCE);
            if (provided.isResolvable()) {
                return provided.get();
            }
            if (present(MICROMETER, loader)) {
                return (Measurements) Class.forName(ServerMeasurements.class.getPackageName() + ".MicrometerMeasurements",
                        true, loader).getDeclaredConstructor().newInstance();
            }
            LOG.warning("the server has neither MicroProfile Metrics nor Micrometer: Segmatch's metrics are not recorded");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "the server's metrics registry is not usable: Segmatch's metrics are not recorded", e);
        }
        return new Dropped();
    }

    private static boolean present(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Checks the label values here, once, for every implementation. */
    @Override
    public void count(Series counter, long amount, String... labelValues) {
        counter.check(labelValues);
        guarded(counter, () -> chosen.count(counter, amount, labelValues));
    }

    @Override
    public void time(Series timer, Duration duration, String... labelValues) {
        timer.check(labelValues);
        guarded(timer, () -> chosen.time(timer, duration, labelValues));
    }

    @Override
    public <T> void gauge(Series gauge, T object, ToDoubleFunction<T> value) {
        guarded(gauge, () -> chosen.gauge(gauge, object, value));
    }

    /**
     * A measurement never fails the work it measures (an upload, a run, a sync): a registry that
     * throws, or a library of another version than the one compiled against, is logged once per
     * series and otherwise ignored.
     */
    private void guarded(Series series, Runnable measurement) {
        try {
            measurement.run();
        } catch (RuntimeException | LinkageError e) {
            if (failing.add(series.name())) {
                LOG.log(Level.WARNING, "could not record " + series.name() + " in " + chosen
                        + " (logged once for this series)", e);
            }
        }
    }

    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    /** No metrics library on this server. */
    private static final class Dropped implements Measurements {
        @Override
        public String toString() {
            return "nowhere (no metrics library)";
        }

        @Override
        public void count(Series counter, long amount, String... labelValues) {
        }

        @Override
        public void time(Series timer, Duration duration, String... labelValues) {
        }

        @Override
        public <T> void gauge(Series gauge, T object, ToDoubleFunction<T> value) {
        }
    }
}
