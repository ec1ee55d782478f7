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

    /**
     * Each test class boots its own Payara Micro; the one of the previous class may still be
     * shutting down, and two instances side by side have been seen to leave the new one without
     * its application. Wait (up to a minute) until no earlier test instance runs.
     */
    static void awaitPreviousMicroGone() throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline && ProcessHandle.allProcesses().anyMatch(MicroDatabase::isTestMicro)) {
            Thread.sleep(200);
        }
    }

    private static boolean isTestMicro(ProcessHandle p) {
        String command = p.info().commandLine().orElse("");
        return command.contains("payara-micro.jar") && command.contains("arquillian-payara-micro");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws InterruptedException {
        awaitPreviousMicroGone();
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
