package io.segmatch.shared.store;

/**
 * Where the application's PostgreSQL datasource is. Who defines it depends on the server: on
 * Payara (Micro and Server) the application itself, from MicroProfile Config (module
 * {@code payara-support}); on WildFly the server (the setup script). It is {@code java:global}
 * because the Jakarta Batch job repository must share its pool on Payara (docs/deployment.md).
 */
public final class DataSourceConfig {

    public static final String JNDI_NAME = "java:global/jdbc/segmatch";

    private DataSourceConfig() {
    }
}
