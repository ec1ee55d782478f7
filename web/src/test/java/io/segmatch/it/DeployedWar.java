package io.segmatch.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.net.URL;

/**
 * Black-box tests of the real WAR: each subclass boots one Payara Micro with it (on a fresh
 * PostgreSQL database) and talks to it over HTTP on loopback.
 */
@ExtendWith({MicroDatabase.class, ArquillianExtension.class})
@RunAsClient
abstract class DeployedWar {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("segmatch.war")));
    }

    @ArquillianResource
    URL base;
}
