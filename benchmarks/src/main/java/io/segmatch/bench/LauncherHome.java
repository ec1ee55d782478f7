package io.segmatch.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the launcher is: the directory holding {@code segmatch.jar}, {@code payara-micro.jar} and
 * {@code segmatch.war} ({@code server-config/target} of the build). The system property
 * {@code segmatch.launcher.home} names it; otherwise it is found next to this module's jar.
 */
final class LauncherHome {

    private LauncherHome() {
    }

    static Path get() throws Exception {
        String configured = System.getProperty("segmatch.launcher.home");
        Path home = configured != null ? Path.of(configured)
                : Path.of(LauncherHome.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                        .getParent().getParent().getParent().resolve("server-config").resolve("target");
        if (!Files.isRegularFile(home.resolve("segmatch.jar"))) {
            throw new IllegalStateException("no launcher at " + home.toAbsolutePath()
                    + ": build it first (mvn -DskipTests package) or set -Dsegmatch.launcher.home");
        }
        return home;
    }
}
