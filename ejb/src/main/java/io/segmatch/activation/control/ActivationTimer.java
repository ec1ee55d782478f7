package io.segmatch.activation.control;

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
 * Every five seconds: starts the Customer Match sync when it is due (the last one started
 * {@code segmatch.activation.interval} ago, default five minutes, and there is work).
 * Timers start jobs and do nothing else.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
public class ActivationTimer {

    private static final Logger LOG = Logger.getLogger(ActivationTimer.class.getName());

    @EJB
    SyncStarter starter;

    @Inject
    @ConfigProperty(name = "segmatch.activation.timer", defaultValue = "true")
    boolean enabled;

    private final StartAttempts attempts = new StartAttempts(LOG, "a Customer Match sync");

    @Schedule(second = "*/5", minute = "*", hour = "*", persistent = false, info = "segmatch activation")
    void tick() {
        if (!enabled) {
            return;
        }
        attempts.attempt(starter::startIfDue);
    }
}
