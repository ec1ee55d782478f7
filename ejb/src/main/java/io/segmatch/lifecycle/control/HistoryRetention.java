package io.segmatch.lifecycle.control;

import io.segmatch.lifecycle.store.HistoryPurges.Kind;
import io.segmatch.lifecycle.store.HistoryPurges;
import io.segmatch.shared.store.DataSourceConfig;
import io.segmatch.shared.store.Jdbc;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Keeps history for {@code segmatch.history.retention} (default 400 days): once a day (checked
 * every hour, so a restart never skips a day) the enter/exit log, processing runs and syncs
 * older than that are removed, 1,000 at a time, each batch its own transaction.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
@TransactionManagement(TransactionManagementType.BEAN)
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class HistoryRetention {

    private static final Logger LOG = Logger.getLogger(HistoryRetention.class.getName());
    static final int BATCH = 1000;

    @Resource(lookup = DataSourceConfig.JNDI_NAME)
    DataSource dataSource;

    @Inject
    @ConfigProperty(name = "segmatch.history.retention", defaultValue = "P400D")
    String retention;

    @Inject
    @ConfigProperty(name = "segmatch.history.timer", defaultValue = "true")
    boolean enabled;

    /** The setting as configured ({@code P400D}), for showing. */
    public String setting() {
        return retention.trim();
    }

    /** The configured retention (days, as ISO-8601 {@code PnD}, or a duration {@code PTnH}). */
    public Duration retention() {
        String value = retention.trim();
        if (value.toUpperCase(Locale.ROOT).contains("T")) {
            return Duration.parse(value);
        }
        Period p = Period.parse(value);
        return Duration.ofDays(p.getYears() * 365L + p.getMonths() * 30L + p.getDays());
    }

    @Schedule(hour = "*", minute = "17", persistent = false, info = "segmatch history retention")
    void hourly() {
        if (!enabled) {
            return;
        }
        try {
            purge("daily retention", false);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the history purge failed (tried again in an hour): {0}", e.getMessage());
        }
    }

    /**
     * Purges now ({@code force}) or if none ran in the last 23 hours; returns the purge, or
     * empty when none was due.
     */
    public Optional<HistoryPurges.Purge> purge(String reason, boolean force) {
        Instant cutoff = Instant.now().minus(retention());
        Optional<Long> claimed = Jdbc.inLocalTransaction(dataSource,
                c -> HistoryPurges.claim(c, cutoff, reason, Duration.ofHours(23), force));
        if (claimed.isEmpty()) {
            return Optional.empty();
        }
        long id = claimed.get();
        String error = null;
        try {
            for (Kind kind : Kind.values()) {
                while (Jdbc.inLocalTransaction(dataSource, c -> HistoryPurges.batch(c, id, kind, cutoff, BATCH)) > 0) {
                    // next batch
                }
            }
        } catch (RuntimeException e) {
            error = e.getMessage();
            throw e;
        } finally {
            String failure = error;
            Jdbc.inLocalTransaction(dataSource, c -> {
                HistoryPurges.finish(c, id, failure);
                return null;
            });
        }
        HistoryPurges.Purge done = Jdbc.run(dataSource, HistoryPurges::latest).orElseThrow();
        LOG.info(() -> String.format("history before %s purged (%s): %d enter/exit entries, %d processing runs, "
                + "%d syncs, %d sync jobs", cutoff, reason, done.logEntries(), done.processingRuns(), done.syncs(), done.syncJobs()));
        return Optional.of(done);
    }

    public Optional<HistoryPurges.Purge> latest() {
        return Jdbc.run(dataSource, HistoryPurges::latest);
    }
}
