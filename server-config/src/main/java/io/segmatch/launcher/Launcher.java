package io.segmatch.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code java -jar server-config/target/segmatch.jar [--port 8080] [--data ./data] [--bind 127.0.0.1]}:
 * starts Segmatch on http://127.0.0.1:8080 with an embedded PostgreSQL in ./data, or with the
 * PostgreSQL server named by {@code SEGMATCH_DB_URL} / {@code -Dsegmatch.db.url}.
 * {@code --backup DIR} writes a backup of the embedded database (running or not) and exits;
 * {@code --restore DIR} puts one back (Segmatch stopped) and exits; {@code --help} prints the
 * options. An unknown option, or one without its value, is an error (exit code 2) before
 * anything starts or is created.
 */
public final class Launcher {

    private Launcher() {
    }

    /** The launcher's options, each followed by its value, with what the value is. */
    static final Map<String, String> OPTIONS = options();

    private static Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--port", "N: the HTTP port (default 8080)");
        options.put("--data", "DIR: the embedded database's files and passwords (default ./data)");
        options.put("--bind", "ADDRESS: the address the HTTP listener binds (default 127.0.0.1)");
        options.put("--java-options", "\"...\": JVM options of the Payara Micro process (default -Xmx512m)");
        options.put("--db-url", "URL: use this PostgreSQL server instead of the embedded one");
        options.put("--db-user", "USER: its user (default postgres)");
        options.put("--db-password", "PASSWORD: its password");
        options.put("--db-shared-buffers", "SIZE: the embedded PostgreSQL's buffer pool (default 256MB)");
        options.put("--backup", "DIR: write a backup of the embedded database into DIR and exit");
        options.put("--restore", "DIR: put the backup in DIR in place of the embedded database and exit");
        return Collections.unmodifiableMap(options);
    }

    /**
     * What is wrong with the command line, or null: every argument is a known option followed
     * by its value, and a port is a number from 1 to 65535. {@code --help} is checked before.
     */
    static String problem(String[] args) {
        for (int i = 0; i < args.length; i += 2) {
            String option = args[i];
            if (!OPTIONS.containsKey(option)) {
                return option.startsWith("-") ? "unknown option " + option
                        : "unexpected argument " + option + " (options are --name value)";
            }
            if (i + 1 >= args.length || (args[i + 1].startsWith("--") && OPTIONS.containsKey(args[i + 1]))) {
                return option + " needs a value: " + option + " " + OPTIONS.get(option);
            }
            if (option.equals("--port")) {
                String value = args[i + 1];
                int port = value.matches("[0-9]{1,5}") ? Integer.parseInt(value) : 0;
                if (port < 1 || port > 65535) {
                    return "--port takes a number from 1 to 65535, not " + value;
                }
            }
        }
        return null;
    }

    /** The usage text {@code --help} prints. */
    static String usage() {
        StringBuilder usage = new StringBuilder("usage: java -jar segmatch.jar [options]\n\n"
                + "Starts Segmatch on http://127.0.0.1:8080 with an embedded PostgreSQL, or with the server\n"
                + "given by --db-url. Each option may also be given as a system property or an environment\n"
                + "variable (docs/configuration.md).\n\n");
        OPTIONS.forEach((option, meaning) -> {
            int colon = meaning.indexOf(": ");
            usage.append(String.format(Locale.ROOT, "  %-32s %s%n", option + " " + meaning.substring(0, colon),
                    meaning.substring(colon + 2)));
        });
        usage.append(String.format(Locale.ROOT, "  %-32s %s%n", "--help", "print this and exit"));
        return usage.toString();
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(usage());
            return;
        }
        String problem = problem(args);
        if (problem != null) {
            System.err.println("segmatch: " + problem + "\n");
            System.err.print(usage());
            System.exit(2);
        }
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
