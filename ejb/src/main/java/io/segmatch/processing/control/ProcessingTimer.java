package io.segmatch.processing.control;

import io.segmatch.shared.control.StartAttempts;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.logging.Logger;

/**
 * Every two seconds: starts the membership run when it is due (pending changes and the last
 * run older than {@code segmatch.processing.interval}; a change that asked for a run; a
 * segment to rebuild). Timers start jobs and do nothing else. Starts after the schema
 * migration.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
public class ProcessingTimer {

    private static final Logger LOG = Logger.getLogger(ProcessingTimer.class.getName());

    @EJB
    RunStarter starter;

    @Inject
    @ConfigProperty(name = "segmatch.processing.timer", defaultValue = "true")
    boolean enabled;

    private final StartAttempts attempts = new StartAttempts(LOG, "a processing run");

    @Schedule(second = "*/2", minute = "*", hour = "*", persistent = false, info = "segmatch processing")
    void tick() {
        if (!enabled) {
            return;
        }
        attempts.attempt(starter::startIfDue);
    }
}
