package io.segmatch.it.payara;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Registers the Payara Server container, only in the test run that asks for it
 * ({@code segmatch.it.server=payara-server}): Arquillian takes exactly one kind of container.
 */
public class PayaraServerExtension implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        if ("payara-server".equals(System.getProperty("segmatch.it.server"))) {
            builder.service(DeployableContainer.class, PayaraServerContainer.class);
        }
    }
}
