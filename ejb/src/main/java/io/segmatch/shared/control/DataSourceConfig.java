package io.segmatch.shared.control;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;

/**
 * The application's PostgreSQL datasource, configured through MicroProfile Config
 * ({@code segmatch.db.url}, {@code .user}, {@code .password}). It is {@code java:global}
 * because the Jakarta Batch job repository must use the same pool (docs/deployment.md: with a second pool every chunk commit fails).
 */
@DataSourceDefinition(
        name = DataSourceConfig.JNDI_NAME,
        className = "org.postgresql.ds.PGSimpleDataSource",
        url = "${MPCONFIG=segmatch.db.url}",
        user = "${MPCONFIG=segmatch.db.user}",
        password = "${MPCONFIG=segmatch.db.password}",
        minPoolSize = 2,
        maxPoolSize = 20)
@Singleton
public class DataSourceConfig {
    public static final String JNDI_NAME = "java:global/jdbc/segmatch";
}
