package io.segmatch.it.micro;

import org.jboss.arquillian.container.spi.ConfigurationException;
import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;

import java.io.File;

/** The Payara Micro jar, its extra options and how long a boot may take (arquillian.xml). */
public class SharedMicroConfiguration implements ContainerConfiguration {

    private String microJar;
    private String extraMicroOptions = "";
    private int startupTimeoutInSeconds = 240;

    @Override
    public void validate() throws ConfigurationException {
        if (microJar == null || !new File(microJar).isFile()) {
            throw new ConfigurationException("microJar must name the Payara Micro jar: " + microJar);
        }
    }

    public String getMicroJar() {
        return microJar;
    }

    public void setMicroJar(String microJar) {
        this.microJar = microJar;
    }

    public String getExtraMicroOptions() {
        return extraMicroOptions;
    }

    /** Payara Micro's own options, after the deployment (pre- and post-boot command files). */
    public void setExtraMicroOptions(String extraMicroOptions) {
        this.extraMicroOptions = extraMicroOptions;
    }

    public int getStartupTimeoutInSeconds() {
        return startupTimeoutInSeconds;
    }

    public void setStartupTimeoutInSeconds(int startupTimeoutInSeconds) {
        this.startupTimeoutInSeconds = startupTimeoutInSeconds;
    }
}
