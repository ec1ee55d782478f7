package io.segmatch.lifecycle.control;

import io.segmatch.access.boundary.AuditTrail;
import io.segmatch.access.store.AuditLog;
import io.segmatch.lifecycle.store.Erasures;
import io.segmatch.shared.store.DataSourceConfig;
import io.segmatch.shared.store.Jdbc;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Every 30 seconds: completes the erasure requests whose people are gone everywhere (their
 * exits recorded, Google's removal acknowledged), scrubbing their keys from the enter/exit log
 * and the sync records (see {@link Erasures}).
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
@TransactionManagement(TransactionManagementType.BEAN)
public class ErasureCompletion {

    private static final Logger LOG = Logger.getLogger(ErasureCompletion.class.getName());

    @Resource(lookup = DataSourceConfig.JNDI_NAME)
    DataSource dataSource;

    @Schedule(second = "*/30", minute = "*", hour = "*", persistent = false, info = "segmatch erasures")
    void tick() {
        try {
            completeSettled();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "completing erasures failed (tried again in 30 s): {0}", e.getMessage());
        }
    }

    /** Completes every settled request; returns how many. */
    public int completeSettled() {
        int done = 0;
        for (long id : Jdbc.run(dataSource, Erasures::pending)) {
            boolean completed = Jdbc.inLocalTransaction(dataSource, c -> {
                boolean ok = Erasures.completeIfSettled(c, id);
                if (ok) {
                    AuditLog.record(c, Instant.now(), AuditTrail.SYSTEM, "erasure.completed", "erasure/" + id,
                            "the person's keys are gone from the enter/exit log and the sync records");
                }
                return ok;
            });
            if (completed) {
                done++;
                LOG.info(() -> "erasure " + id + " completed");
            }
        }
        return done;
    }
}
