package io.segmatch.it;

import io.segmatch.fake.google.FakeGoogle;
import io.segmatch.fake.meta.FakeMeta;
import io.segmatch.testing.TestDatabase;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;

/**
 * Gives the server that Arquillian starts a fresh PostgreSQL database, the fake Google and the fake Meta.
 * Registered before the Arquillian extension, it sets the JVM options before the container is
 * configured: {@code payara.cmdOptions}, which the Payara Micro container passes to Micro, and
 * the same in {@code segmatch.it.serverOptions}, which other containers' arquillian.xml use.
 */
public class MicroDatabase implements BeforeAllCallback {

    static String url;

    /** Google's APIs, faked on loopback for every deployed WAR of this test JVM. */
    static FakeGoogle google;

    /** Meta's Graph API, faked on loopback the same way. */
    static FakeMeta meta;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (url == null) {
            url = TestDatabase.newDatabaseUrl("micro");
            try {
                google = FakeGoogle.start();
                meta = FakeMeta.start();
            } catch (IOException e) {
                throw new IllegalStateException("could not start the fake Google or Meta", e);
            }
            String options = String.join(" ",
                    "-Xmx512m",
                    "-Duser.timezone=UTC",
                    "-Dsegmatch.admin.initial-password=" + Http.ADMIN_PASSWORD,
                    // the tests' own client stands in for a TLS-terminating proxy on loopback
                    "-Dsegmatch.http.trusted-proxies=127.0.0.1,::1",
                    String.join(" ", google.serverOptions()),
                    String.join(" ", meta.serverOptions()),
                    // Meta's calls give up quickly in tests (a fault that is retried in production)
                    "-Dsegmatch.meta.max-retry-delay=PT2S",
                    "-Dsegmatch.meta.timeout=PT5S",
                    "-Dsegmatch.googleads.max-retry-delay=PT2S",
                    // the fake's timeout faults answer after 8 s: the client gives up first
                    "-Dsegmatch.googleads.timeout=PT5S",
                    // the failsafe execution "data-manager" runs DataManagerIT with the other API
                    "-Dsegmatch.googleads.api=" + System.getProperty("segmatch.it.googleads.api", "google-ads"),
                    "-Dsegmatch.activation.interval=PT1S",
                    // a plan of more than three people goes to Google Ads in several jobs, one after the other
                    "-Dsegmatch.googleads.job-people=3",
                    // every server of this JVM shares the database (server-tests restarts one):
                    // a run or sync left "running" by a stopped server is taken for lost quickly
                    "-Dsegmatch.processing.lost-after=PT10S",
                    "-Dsegmatch.activation.lost-after=PT10S",
                    "-Dsegmatch.secret-key-file=" + System.getProperty("java.io.tmpdir") + "/segmatch-it-secret.key",
                    "-Dsegmatch.db.url=" + url,
                    "-Dsegmatch.db.user=" + TestDatabase.user(),
                    // the test database trusts loopback; WildFly's datasource needs some password
                    "-Dsegmatch.db.password=" + (TestDatabase.password().isEmpty() ? "trusted" : TestDatabase.password()));
            System.setProperty("payara.cmdOptions", options);
            System.setProperty("segmatch.it.serverOptions", options);
        }
    }
}
