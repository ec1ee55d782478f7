package io.segmatch.it.payara;

import org.jboss.arquillian.container.spi.ConfigurationException;
import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;

import java.io.File;

/** Where the Payara Server domain is, and the options of its JVM (arquillian.xml). */
public class PayaraServerConfiguration implements ContainerConfiguration {

    private String payaraHome;
    private String domain = "domain1";
    private int adminPort = 4848;
    private int httpPort = 8080;
    private String serverOptions = "";
    private int startupTimeoutInSeconds = 300;

    @Override
    public void validate() throws ConfigurationException {
        if (payaraHome == null || payaraHome.isBlank() || !new File(payaraHome, "bin/asadmin").isFile()) {
            throw new ConfigurationException("payaraHome must name an unpacked Payara Server (bin/asadmin): " + payaraHome);
        }
    }

    public String getPayaraHome() {
        return payaraHome;
    }

    public void setPayaraHome(String payaraHome) {
        this.payaraHome = payaraHome;
    }

    public String getDomain() {
        return domain;
    }

    public void setDomain(String domain) {
        this.domain = domain;
    }

    public int getAdminPort() {
        return adminPort;
    }

    public void setAdminPort(int adminPort) {
        this.adminPort = adminPort;
    }

    public int getHttpPort() {
        return httpPort;
    }

    public void setHttpPort(int httpPort) {
        this.httpPort = httpPort;
    }

    public String getServerOptions() {
        return serverOptions;
    }

    /** {@code -Dsegmatch.…=…} options, given to the domain as environment variables (MicroProfile Config reads them). */
    public void setServerOptions(String serverOptions) {
        this.serverOptions = serverOptions;
    }

    public int getStartupTimeoutInSeconds() {
        return startupTimeoutInSeconds;
    }

    public void setStartupTimeoutInSeconds(int startupTimeoutInSeconds) {
        this.startupTimeoutInSeconds = startupTimeoutInSeconds;
    }
}
