package io.segmatch.payara;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;

/**
 * On Payara, the application defines its PostgreSQL datasource itself, configured through
 * MicroProfile Config ({@code segmatch.db.url}, {@code .user}, {@code .password}; the
 * {@code ${MPCONFIG=…}} expressions are Payara's). It is {@code java:global} because the Jakarta
 * Batch job repository must use the same pool (docs/deployment.md: with a second pool every chunk
 * commit fails). Connections are validated when handed out, so that the pool recovers by itself
 * from a database restart (docs/reliability.md).
 *
 * <p>WildFly reads neither the expressions nor the properties; there the server defines the
 * datasource under the same name, and the WildFly EAR does not contain this module.
 */
@DataSourceDefinition(
        name = "java:global/jdbc/segmatch",
        className = "org.postgresql.ds.PGSimpleDataSource",
        url = "${MPCONFIG=segmatch.db.url}",
        user = "${MPCONFIG=segmatch.db.user}",
        password = "${MPCONFIG=segmatch.db.password}",
        minPoolSize = 2,
        maxPoolSize = 20,
        // a connection is checked ("select 1") before it is handed out; when one fails, the whole
        // pool is renewed: after a database restart no request meets a dead connection
        properties = {
                "fish.payara.is-connection-validation-required=true",
                "fish.payara.connection-validation-method=custom-validation",
                "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.PostgresConnectionValidation",
                "fish.payara.fail-all-connections=true"
        })
@Singleton
public class PayaraDataSource {
}
