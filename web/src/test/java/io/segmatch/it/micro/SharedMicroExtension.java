package io.segmatch.it.micro;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Registers the shared Payara Micro container, only in the test runs that ask for it
 * ({@code segmatch.it.server=payara-micro}, the web module's): this module's test jar is also
 * on the classpath of the tests against other servers, and Arquillian takes one kind of container.
 */
public class SharedMicroExtension implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        if ("payara-micro".equals(System.getProperty("segmatch.it.server"))) {
            builder.service(DeployableContainer.class, SharedMicroContainer.class);
        }
    }
}
