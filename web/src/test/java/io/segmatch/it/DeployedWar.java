package io.segmatch.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.net.URL;

/**
 * Black-box tests of the real application: each subclass deploys it (on a PostgreSQL database
 * of the test JVM's own) and talks to it over HTTP on loopback. Here the WAR runs on Payara
 * Micro, one server booted by the first test class and shared by the others
 * ({@code io.segmatch.it.micro}): a test makes its own datasets, segments and users, and reads
 * counters as differences. The module server-tests runs some of the same classes against the
 * EAR on other servers (the system property {@code segmatch.ear} names the archive).
 */
@ExtendWith({MicroDatabase.class, ArquillianExtension.class})
@RunAsClient
abstract class DeployedWar {

    @Deployment(testable = false)
    static Archive<?> deployment() {
        String ear = System.getProperty("segmatch.ear", "");
        if (!ear.isBlank()) {
            return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(ear));
        }
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("segmatch.war")));
    }

    @ArquillianResource
    URL base;
}
