package io.segmatch.launcher;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Backups of the embedded database, and their restore ({@code --backup DIR}, {@code --restore DIR}).
 *
 * <p>A backup is a physical copy of the database cluster taken while it runs (PostgreSQL's
 * online base backup: {@code pg_backup_start}, a file copy, {@code pg_backup_stop}), with the
 * write-ahead log that makes the copy consistent; a replication slot keeps that log from being
 * recycled during the copy. Taken while Segmatch runs, it holds every transaction committed before
 * {@code pg_backup_stop}; with Segmatch stopped, the launcher starts the database for the copy.
 * Restoring puts the copy in place of {@code DATA/postgres} (the old one is kept aside); the next
 * start replays the copied log and opens the database as it was at the end of the backup.
 */
final class Backups {

    /** Copied empty: what PostgreSQL rebuilds at start (its documentation lists them). */
    private static final Set<String> EMPTY_DIRECTORIES = Set.of("pg_wal", "pg_replslot", "pg_stat_tmp", "pg_dynshmem",
            "pg_notify", "pg_serial", "pg_snapshots", "pg_subtrans");
    private static final Set<String> SKIPPED_FILES = Set.of("postmaster.pid", "postmaster.opts", "backup_label",
            "tablespace_map");

    private Backups() {
    }

    /** Writes a backup of {@code DATA}'s embedded database into {@code target} (which must not exist or be empty). */
    static void backup(Path dataDir, Path target) throws IOException, InterruptedException {
        Path pgData = dataDir.toAbsolutePath().resolve("postgres");
        if (!Files.exists(pgData.resolve("PG_VERSION"))) {
            throw new IOException("no embedded database in " + pgData);
        }
        if (Files.exists(target)) {
            try (var entries = Files.list(target)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException(target + " is not empty: give a new directory for the backup");
                }
            }
        }
        String password = LocalServer.databasePassword(dataDir);
        Optional<Integer> running = runningPort(pgData);
        long t0 = System.nanoTime();
        if (running.isPresent()) {
            LocalServer.log("backing up the running database (port " + running.get() + ") into " + target);
            online(pgData, running.get(), password, target);
        } else {
            LocalServer.log("starting the database to back it up into " + target);
            try (EmbeddedDatabase db = EmbeddedDatabase.start(pgData, LocalServer.freePort(),
                    Map.of("listen_addresses", "127.0.0.1"), password)) {
                online(pgData, db.port(), password, target);
            }
        }
        Files.copy(dataDir.toAbsolutePath().resolve("db-password"), target.resolve("db-password"));
        LocalServer.log(String.format("backup written to %s in %.1f s (restore it with --restore %s)", target,
                (System.nanoTime() - t0) / 1e9, target));
    }

    /** The port of a PostgreSQL running on this data directory, from its lock file. */
    static Optional<Integer> runningPort(Path pgData) throws IOException {
        Optional<Long> pid = EmbeddedDatabase.pidFromLockFile(pgData);
        if (pid.isEmpty() || ProcessHandle.of(pid.get()).map(p -> !p.isAlive()).orElse(true)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pgData.resolve("postmaster.pid"));
        return lines.size() > 3 ? Optional.of(Integer.parseInt(lines.get(3).trim())) : Optional.empty();
    }

    private static void online(Path pgData, int port, String password, Path target) throws IOException {
        String slot = "segmatch_backup_" + ProcessHandle.current().pid();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres",
                password); Statement st = c.createStatement()) {
            // keeps every log segment from now on until the slot is dropped
            st.execute("SELECT pg_create_physical_replication_slot('" + slot + "', true)");
            try {
                String startWal;
                try (ResultSet rs = st.executeQuery("SELECT pg_walfile_name(pg_backup_start('segmatch', true))")) {
                    rs.next();
                    startWal = rs.getString(1);
                }
                copyTree(pgData, target.resolve("postgres"));
                String stopWal;
                try (ResultSet rs = st.executeQuery("SELECT pg_walfile_name(lsn), labelfile, spcmapfile FROM pg_backup_stop(false)")) {
                    rs.next();
                    stopWal = rs.getString(1);
                    Files.writeString(target.resolve("postgres/backup_label"), rs.getString(2));
                    String map = rs.getString(3);
                    if (map != null && !map.isEmpty()) {
                        Files.writeString(target.resolve("postgres/tablespace_map"), map);
                    }
                }
                // the log from the start of the backup to its end: what makes the copy consistent
                try (var wal = Files.list(pgData.resolve("pg_wal"))) {
                    for (Path segment : wal.filter(p -> p.getFileName().toString().matches("[0-9A-F]{24}")).toList()) {
                        String name = segment.getFileName().toString();
                        if (name.substring(8).compareTo(startWal.substring(8)) >= 0 && name.substring(8).compareTo(stopWal.substring(8)) <= 0) {
                            Files.copy(segment, target.resolve("postgres/pg_wal").resolve(name));
                        }
                    }
                }
                Files.writeString(target.resolve("backup.txt"), "Segmatch backup of the embedded database\ntaken "
                        + Instant.now() + "\nwrite-ahead log " + startWal + " to " + stopWal + "\n");
            } finally {
                try (PreparedStatement drop = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                    drop.setString(1, slot);
                    drop.execute();
                }
            }
        } catch (SQLException e) {
            throw new IOException("the backup failed: " + e.getMessage(), e);
        }
    }

    /** Copies a directory tree that is being written to: files that disappear meanwhile are skipped. */
    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path relative = from.relativize(dir);
                Files.createDirectories(to.resolve(relative.toString()));
                if (relative.getNameCount() == 1 && EMPTY_DIRECTORIES.contains(relative.toString())) {
                    if (relative.toString().equals("pg_wal")) {
                        Files.createDirectories(to.resolve("pg_wal/archive_status"));
                    }
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path relative = from.relativize(file);
                if (relative.getNameCount() == 1 && SKIPPED_FILES.contains(relative.toString())) {
                    return FileVisitResult.CONTINUE;
                }
                try {
                    Files.copy(file, to.resolve(relative.toString()), StandardCopyOption.COPY_ATTRIBUTES);
                } catch (NoSuchFileException gone) {
                    // dropped while copying: the log replays whatever the copy needs
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    /**
     * Puts a backup in place of {@code DATA/postgres}; the database found there is moved aside to
     * {@code DATA/postgres.before-restore-TIME}, never deleted. Segmatch must be stopped.
     */
    static Path restore(Path source, Path dataDir) throws IOException {
        Path backup = source.toAbsolutePath().resolve("postgres");
        if (!Files.exists(backup.resolve("backup_label"))) {
            throw new IOException(source + " is not a backup written by --backup (no postgres/backup_label)");
        }
        Path pgData = dataDir.toAbsolutePath().resolve("postgres");
        if (runningPort(pgData).isPresent()) {
            throw new IOException("the database in " + pgData + " is running: stop Segmatch before restoring");
        }
        Path aside = null;
        if (Files.exists(pgData)) {
            aside = pgData.resolveSibling("postgres.before-restore-" + Instant.now().toString().replace(':', '-'));
            Files.move(pgData, aside);
        }
        Files.createDirectories(dataDir);
        copyTree(backup, pgData);
        Files.copy(backup.resolve("backup_label"), pgData.resolve("backup_label"), StandardCopyOption.REPLACE_EXISTING);
        if (Files.exists(backup.resolve("tablespace_map"))) {
            Files.copy(backup.resolve("tablespace_map"), pgData.resolve("tablespace_map"), StandardCopyOption.REPLACE_EXISTING);
        }
        try (var wal = Files.list(backup.resolve("pg_wal"))) {
            for (Path segment : wal.filter(Files::isRegularFile).toList()) {
                Files.copy(segment, pgData.resolve("pg_wal").resolve(segment.getFileName().toString()));
            }
        }
        Files.copy(source.toAbsolutePath().resolve("db-password"), dataDir.toAbsolutePath().resolve("db-password"),
                StandardCopyOption.REPLACE_EXISTING);
        try {
            Files.setPosixFilePermissions(pgData, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // PostgreSQL checks the mode on POSIX systems only
        }
        LocalServer.log("restored " + source + " into " + pgData + (aside == null ? "" : "; the database that was there is in " + aside)
                + "; start Segmatch as usual: the database replays the backup's log as it starts");
        return aside;
    }
}
