package io.segmatch.shared.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.util.logging.Logger;

/**
 * Brings the schema up to date with Flyway before anything else touches the database.
 * Bean-managed: Flyway commits on its own connection (inside a container transaction its commits would fail).
 */
@Startup
@Singleton
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigrator {

    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class.getName());

    @Resource(lookup = DataSourceConfig.JNDI_NAME)
    DataSource dataSource;

    /**
     * Not named {@code migrate}: the container finds lifecycle callbacks by name, and an
     * overload of the same name was sometimes picked instead (deployments failed at random).
     */
    @PostConstruct
    void atStartup() {
        var result = migrate(dataSource);
        LOG.info(() -> "database schema at version " + result + "");
    }

    /** Applies the pending migrations; returns the schema version reached. */
    public static String migrate(DataSource dataSource) {
        var flyway = Flyway.configure(SchemaMigrator.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load();
        var result = flyway.migrate();
        return result.targetSchemaVersion != null ? result.targetSchemaVersion
                : flyway.info().current() == null ? "empty" : flyway.info().current().getVersion().getVersion();
    }
}
