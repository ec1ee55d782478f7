package io.segmatch.it;

import io.segmatch.testing.TestDatabase;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives the Payara Micro that Arquillian starts a fresh PostgreSQL database. Registered
 * before the Arquillian extension, it sets the JVM options the managed container passes
 * to Micro ({@code payara.cmdOptions}) before the container is configured.
 */
public class MicroDatabase implements BeforeAllCallback {

    static String url;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (url == null) {
            url = TestDatabase.newDatabaseUrl("micro");
            System.setProperty("payara.cmdOptions", String.join(" ",
                    "-Xmx512m",
                    "-Duser.timezone=UTC",
                    "-Dsegmatch.db.url=" + url,
                    "-Dsegmatch.db.user=" + TestDatabase.user(),
                    "-Dsegmatch.db.password=" + TestDatabase.password()));
        }
    }
}
