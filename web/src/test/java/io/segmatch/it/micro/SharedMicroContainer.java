package io.segmatch.it.micro;

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

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One Payara Micro for every test class of a test JVM. Payara Micro takes its deployment when it
 * boots, so the first deployment boots it with the WAR (as {@code java -jar payara-micro.jar
 * --deploy}, the way the README starts Segmatch) and the next test classes, which deploy the same
 * archive, find it running: a class's "undeploy" leaves it up, and it is stopped when the test
 * JVM's Arquillian run ends. A boot costs 15–25 s on a two-core machine, once per class before.
 *
 * <p>The server's JVM options are read when it boots, from {@code payara.cmdOptions} (set by
 * the tests' first extension, {@code MicroDatabase}). Its output goes to the test log.
 */
public class SharedMicroContainer implements DeployableContainer<SharedMicroConfiguration> {

    private static final String READY = "Payara Micro ";
    private static final String READY_TAIL = " ready in ";
    private static final String DEPLOYED = "Deployed 1 archive(s)";

    private SharedMicroConfiguration configuration;
    private Process process;
    private String deployed;
    private int port;
    private Path work;

    @Override
    public Class<SharedMicroConfiguration> getConfigurationClass() {
        return SharedMicroConfiguration.class;
    }

    @Override
    public void setup(SharedMicroConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public void start() {
        // booted by the first deployment, which brings the server's options
    }

    @Override
    public void stop() throws LifecycleException {
        try {
            halt();
        } catch (RuntimeException e) {
            throw new LifecycleException("could not stop Payara Micro", e);
        }
    }

    @Override
    public ProtocolDescription getDefaultProtocol() {
        return new ProtocolDescription("Local");
    }

    @Override
    public synchronized ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        if (process != null && process.isAlive() && archive.getName().equals(deployed)) {
            System.out.println("Payara Micro on port " + port + " already runs " + deployed + ": reused");
        } else {
            halt();
            try {
                boot(archive);
            } catch (IOException | RuntimeException e) {
                halt();
                throw new DeploymentException("could not boot Payara Micro with " + archive.getName() + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                halt();
                throw new DeploymentException("interrupted while Payara Micro booted", e);
            }
        }
        // the WAR's context root is "/" (glassfish-web.xml)
        HTTPContext context = new HTTPContext("127.0.0.1", port);
        context.add(new Servlet("default", ""));
        return new ProtocolMetaData().addContext(context);
    }

    @Override
    public void undeploy(Archive<?> archive) {
        // kept running for the next test class; stopped with the container
    }

    @Override
    public void deploy(Descriptor descriptor) {
        throw new UnsupportedOperationException("descriptors are not deployed");
    }

    @Override
    public void undeploy(Descriptor descriptor) {
        throw new UnsupportedOperationException("descriptors are not deployed");
    }

    private void boot(Archive<?> archive) throws IOException, InterruptedException, DeploymentException {
        work = Files.createTempDirectory("segmatch-micro");
        File file = work.resolve(archive.getName()).toFile();
        archive.as(ZipExporter.class).exportTo(file, true);
        port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(words(System.getProperty("payara.cmdOptions", "")));
        command.addAll(List.of("-jar", configuration.getMicroJar(), "--nocluster", "--port", Integer.toString(port),
                "--deploy", file.getAbsolutePath()));
        command.addAll(words(configuration.getExtraMicroOptions()));
        System.out.println("Booting Payara Micro on port " + port + " with " + archive.getName());
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        CountDownLatch ready = new CountDownLatch(1);
        boolean[] archiveDeployed = {false};
        Deque<String> tail = new ArrayDeque<>();
        Process started = process;
        Thread output = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    System.out.println(line);
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 200) {
                            tail.removeFirst();
                        }
                        if (line.contains(DEPLOYED)) {
                            archiveDeployed[0] = true;
                        }
                    }
                    int at = line.indexOf(READY);
                    if (at >= 0 && line.indexOf(READY_TAIL, at) > at) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // the process ended: its exit is noticed below
            } finally {
                ready.countDown();
            }
        }, "payara-micro-output");
        output.setDaemon(true);
        output.start();
        boolean inTime = ready.await(configuration.getStartupTimeoutInSeconds(), TimeUnit.SECONDS);
        synchronized (tail) {
            if (!inTime || !process.isAlive() || !archiveDeployed[0]) {
                String why = !inTime ? "not ready within " + configuration.getStartupTimeoutInSeconds() + " s"
                        : !process.isAlive() ? "it exited with " + process.exitValue() : "it did not deploy " + archive.getName();
                throw new DeploymentException("Payara Micro: " + why + "; its last lines:\n" + String.join("\n", tail));
            }
        }
        deployed = archive.getName();
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
    }

    private synchronized void halt() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            process = null;
            deployed = null;
        }
        if (work != null) {
            try (var files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            work = null;
        }
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
