package io.segmatch.shared.control;

import io.segmatch.shared.store.DataSourceConfig;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;

import java.util.logging.Logger;
import javax.sql.DataSource;

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
        var result = SchemaMigrations.migrate(dataSource);
        LOG.info(() -> "database schema at version " + result + "");
    }
}
