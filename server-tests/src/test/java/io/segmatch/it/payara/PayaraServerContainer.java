package io.segmatch.it.payara;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.arquillian.container.spi.client.protocol.metadata.Servlet;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.descriptor.api.Descriptor;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Arquillian's view of a Payara Server domain, driven with {@code asadmin} the way an operator
 * deploys Segmatch (docs/deployment.md): {@code start-domain} with the settings in the
 * environment, {@code deploy} of the EAR, {@code undeploy}, {@code stop-domain}. Payara's own
 * Arquillian adapter for Payara 6 is not on Maven Central.
 */
public class PayaraServerContainer implements DeployableContainer<PayaraServerConfiguration> {

    private PayaraServerConfiguration configuration;
    private Path work;

    @Override
    public Class<PayaraServerConfiguration> getConfigurationClass() {
        return PayaraServerConfiguration.class;
    }

    @Override
    public void setup(PayaraServerConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public void start() throws LifecycleException {
        try {
            work = Files.createTempDirectory("segmatch-payara-server");
            asadmin(configuration.getStartupTimeoutInSeconds(), environment(configuration.getServerOptions()),
                    "start-domain", configuration.getDomain());
        } catch (IOException | RuntimeException e) {
            throw new LifecycleException("could not start the Payara Server domain " + configuration.getDomain(), e);
        }
    }

    @Override
    public void stop() throws LifecycleException {
        try {
            asadmin(120, Map.of(), "stop-domain", configuration.getDomain());
            try (var files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        } catch (IOException | RuntimeException e) {
            throw new LifecycleException("could not stop the Payara Server domain " + configuration.getDomain(), e);
        }
    }

    @Override
    public ProtocolDescription getDefaultProtocol() {
        return new ProtocolDescription("Local");
    }

    @Override
    public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        try {
            File file = work.resolve(archive.getName()).toFile();
            archive.as(ZipExporter.class).exportTo(file, true);
            asadmin(configuration.getStartupTimeoutInSeconds(), Map.of(), "--port", Integer.toString(configuration.getAdminPort()),
                    "deploy", "--force=true", "--name", name(archive), file.getAbsolutePath());
        } catch (RuntimeException e) {
            throw new DeploymentException("could not deploy " + archive.getName() + ": " + e.getMessage(), e);
        }
        // the application is at the root context (application.xml)
        HTTPContext context = new HTTPContext("127.0.0.1", configuration.getHttpPort());
        context.add(new Servlet("default", ""));
        return new ProtocolMetaData().addContext(context);
    }

    @Override
    public void undeploy(Archive<?> archive) throws DeploymentException {
        try {
            asadmin(300, Map.of(), "--port", Integer.toString(configuration.getAdminPort()), "undeploy", name(archive));
        } catch (RuntimeException e) {
            throw new DeploymentException("could not undeploy " + archive.getName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void deploy(Descriptor descriptor) throws DeploymentException {
        throw new UnsupportedOperationException("descriptors are not deployed");
    }

    @Override
    public void undeploy(Descriptor descriptor) throws DeploymentException {
        throw new UnsupportedOperationException("descriptors are not deployed");
    }

    private static String name(Archive<?> archive) {
        String name = archive.getName();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /**
     * Each {@code -Dsegmatch.a.b-c=v} as the environment variable {@code SEGMATCH_A_B_C=v}, the
     * name MicroProfile Config looks up for {@code segmatch.a.b-c}. Other options are the domain's own.
     */
    static Map<String, String> environment(String options) {
        Map<String, String> environment = new TreeMap<>();
        for (String option : options.trim().split("\\s+")) {
            if (option.startsWith("-Dsegmatch.") && option.contains("=")) {
                String key = option.substring(2, option.indexOf('='));
                environment.put(key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT),
                        option.substring(option.indexOf('=') + 1));
            }
        }
        return environment;
    }

    /** Runs asadmin; its output goes to the test log; fails with that output unless it succeeds in time. */
    private void asadmin(int timeoutSeconds, Map<String, String> environment, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(new File(configuration.getPayaraHome(), "bin/asadmin").getAbsolutePath());
        command.addAll(List.of(arguments));
        try {
            // into a file: the domain's JVM may keep asadmin's output open after asadmin ends
            File log = File.createTempFile("asadmin", ".log", work.toFile());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("asadmin " + String.join(" ", arguments) + " took over " + timeoutSeconds + " s");
            }
            String text = Files.readString(log.toPath(), StandardCharsets.UTF_8);
            System.out.println("asadmin " + String.join(" ", arguments) + ":\n" + text);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("asadmin " + String.join(" ", arguments) + " failed: " + text);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run asadmin", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
