package io.segmatch.access.boundary;

import io.segmatch.access.store.AuditLog;
import io.segmatch.shared.store.DataSourceConfig;
import io.segmatch.shared.store.Jdbc;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.security.enterprise.SecurityContext;

import java.security.Principal;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * The audit log: who did what. An entry joins the caller's transaction, so an action that
 * rolls back leaves no entry. Never given a password, a token or a row's values.
 */
@Stateless
public class AuditTrail {

    /** The actor of work no user started (timers, the first start). */
    public static final String SYSTEM = "system";

    @Resource(lookup = DataSourceConfig.JNDI_NAME)
    DataSource dataSource;

    @Inject
    SecurityContext security;

    /** Records an action of the current caller. */
    public void record(String action, String target, String detail) {
        recordAs(caller(), action, target, detail);
    }

    /** Records an action of a named actor (a login, before the caller is known). */
    public void recordAs(String actor, String action, String target, String detail) {
        Jdbc.run(dataSource, c -> {
            AuditLog.record(c, Instant.now(), actor, action, target, detail);
            return null;
        });
    }

    public List<AuditLog.Entry> page(Long beforeId, int limit) {
        return Jdbc.run(dataSource, c -> AuditLog.page(c, beforeId, limit));
    }

    /** The authenticated caller's name, or {@link #SYSTEM}. */
    public String caller() {
        Principal principal = security.getCallerPrincipal();
        return principal == null ? SYSTEM : principal.getName();
    }
}
