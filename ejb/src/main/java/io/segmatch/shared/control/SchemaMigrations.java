package io.segmatch.shared.control;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

/**
 * Flyway over the application's migrations (kept out of the startup bean: an EJB may have no
 * static methods).
 */
public final class SchemaMigrations {

    private SchemaMigrations() {
    }

    /** Applies the pending migrations; returns the schema version reached. */
    public static String migrate(DataSource dataSource) {
        var flyway = Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load();
        var result = flyway.migrate();
        return result.targetSchemaVersion != null ? result.targetSchemaVersion
                : flyway.info().current() == null ? "empty" : flyway.info().current().getVersion().getVersion();
    }
}
