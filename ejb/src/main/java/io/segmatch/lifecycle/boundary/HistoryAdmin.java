package io.segmatch.lifecycle.boundary;

import io.segmatch.access.boundary.AuditTrail;
import io.segmatch.lifecycle.control.HistoryRetention;
import io.segmatch.lifecycle.store.HistoryPurges;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Optional;

/** History retention for administrators: the setting, the last purge, and a purge now. */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class HistoryAdmin {

    @EJB
    HistoryRetention retention;

    @Inject
    AuditTrail audit;

    /** The retention (and its setting as configured, such as {@code P400D}) and the last purge. */
    public record State(Duration retention, String setting, Optional<HistoryPurges.Purge> lastPurge) {
    }

    public State state() {
        return new State(retention.retention(), retention.setting(), retention.latest());
    }

    /** Purges history older than the retention now, whatever the last purge; audited with its figures. */
    public HistoryPurges.Purge purgeNow() {
        HistoryPurges.Purge purge = retention.purge("asked by " + audit.caller(), true).orElseThrow();
        audit.record("history.purge", "history", String.format("before %s: %d enter/exit entries, %d runs, %d syncs, %d jobs",
                purge.cutoff(), purge.logEntries(), purge.processingRuns(), purge.syncs(), purge.syncJobs()));
        return purge;
    }
}
