package io.segmatch.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code java -jar server-config/target/segmatch.jar [--port 8080] [--data ./data] [--bind 127.0.0.1]}:
 * starts Segmatch on http://127.0.0.1:8080 with an embedded PostgreSQL in ./data, or with the
 * PostgreSQL server named by {@code SEGMATCH_DB_URL} / {@code -Dsegmatch.db.url}.
 * {@code --backup DIR} writes a backup of the embedded database (running or not) and exits;
 * {@code --restore DIR} puts one back (Segmatch stopped) and exits.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(setting(args, "--port", "segmatch.port", "8080"));
        Path data = Path.of(setting(args, "--data", "segmatch.data-dir", "data"));
        String javaOptions = setting(args, "--java-options", "segmatch.java-options", "-Xmx512m");
        String bind = setting(args, "--bind", "segmatch.bind", "127.0.0.1");
        String backup = setting(args, "--backup", "segmatch.backup", null);
        String restore = setting(args, "--restore", "segmatch.restore", null);
        String sharedBuffers = setting(args, "--db-shared-buffers", "segmatch.db.shared-buffers", null);
        if (backup != null || restore != null) {
            if (!database(args).isEmpty()) {
                throw new IllegalArgumentException("--backup and --restore are for the embedded database; back up your own"
                        + " PostgreSQL server with its tools (pg_dump, or a base backup with log archiving)");
            }
            if (backup != null) {
                Backups.backup(data, Path.of(backup));
            } else {
                Backups.restore(Path.of(restore), data);
            }
            return;
        }

        var settings = new LocalServer.Settings(home(), data, port, List.of(javaOptions.trim().split("\\s+")),
                database(args), bind, sharedBuffers);
        LocalServer server = LocalServer.start(settings, Duration.ofMinutes(5));
        LocalServer.log("Segmatch is ready on " + server.baseUrl() + " (API under /api, health under /health)");
        Path password = LocalServer.initialPasswordFile(data);
        if (Files.exists(password)) {
            LocalServer.log("first login: user admin, with the password in " + password
                    + " (the console then asks for a new one)");
        }
        int code = server.waitFor();
        server.close();
        System.exit(code);
    }

    /** The PostgreSQL server to use ({@code url}, {@code user}, {@code password}), or empty for the embedded one. */
    public static Map<String, String> database(String[] args) {
        Map<String, String> database = new HashMap<>();
        String url = setting(args, "--db-url", "segmatch.db.url", null);
        if (url != null && !url.isBlank()) {
            database.put("url", url);
            database.put("user", setting(args, "--db-user", "segmatch.db.user", "postgres"));
            database.put("password", setting(args, "--db-password", "segmatch.db.password", ""));
        }
        return database;
    }

    /** A command-line option, else a system property, else its environment variable, else the default. */
    public static String setting(String[] args, String option, String property, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(option)) {
                return args[i + 1];
            }
        }
        String value = System.getProperty(property);
        if (value == null) {
            value = System.getenv(property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
        }
        return value != null ? value : fallback;
    }

    /** The directory holding the launcher jar, payara-micro.jar and segmatch.war. */
    static Path home() throws Exception {
        Path jar = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return jar.getParent();
    }
}
