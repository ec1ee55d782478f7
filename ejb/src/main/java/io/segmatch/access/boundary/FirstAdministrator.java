package io.segmatch.access.boundary;

import io.segmatch.access.control.PasswordHash;
import io.segmatch.access.control.Role;
import io.segmatch.access.control.Tokens;
import io.segmatch.access.store.AuditLog;
import io.segmatch.access.store.Users;
import io.segmatch.shared.store.DataSourceConfig;
import io.segmatch.shared.store.Jdbc;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * At startup, when no user exists, creates {@code admin} with the role admin. Its password
 * is {@code segmatch.admin.initial-password}, or a random one that is written once to the log
 * and, when {@code segmatch.admin.initial-password-file} is set (the local launcher sets it),
 * to that file with mode 0600; a generated password must be changed at the first login.
 */
@Startup
@Singleton
@DependsOn("SchemaMigrator")
@TransactionManagement(TransactionManagementType.BEAN)
public class FirstAdministrator {

    private static final Logger LOG = Logger.getLogger(FirstAdministrator.class.getName());
    public static final String USERNAME = "admin";

    @Resource(lookup = DataSourceConfig.JNDI_NAME)
    DataSource dataSource;

    @PostConstruct
    void atStartup() {
        if (Jdbc.run(dataSource, Users::count) > 0) {
            return;
        }
        Config config = ConfigProvider.getConfig();
        Optional<String> configured = config.getOptionalValue("segmatch.admin.initial-password", String.class)
                .filter(p -> !p.isEmpty());
        if (configured.isPresent() && PasswordHash.weakness(configured.get()) != null) {
            LOG.severe("segmatch.admin.initial-password is not used: it " + PasswordHash.weakness(configured.get())
                    + "; a random password is generated instead");
            configured = Optional.empty();
        }
        boolean generated = configured.isEmpty();
        String password = configured.orElseGet(() -> Tokens.randomText(15));
        String hash = PasswordHash.hash(password);
        boolean created = Jdbc.inLocalTransaction(dataSource, c -> {
            boolean done = Users.createFirst(c, USERNAME, Role.ADMIN, hash, generated, Instant.now());
            if (done) {
                AuditLog.record(c, Instant.now(), AuditTrail.SYSTEM, "user_created", USERNAME,
                        "the first administrator, " + (generated ? "with a generated password" : "with the configured password"));
            }
            return done;
        });
        if (!created) {
            return;
        }
        if (!generated) {
            LOG.info("created the first administrator '" + USERNAME + "' with the password of segmatch.admin.initial-password");
            return;
        }
        String note = "";
        Optional<String> file = passwordFile();
        if (file.isPresent()) {
            writeOwnerOnly(Path.of(file.get()), password);
            note = " (also in " + file.get() + ")";
        }
        LOG.warning("created the first administrator '" + USERNAME + "' with the generated password " + password + note
                + "; the console asks for a new one at the first login");
    }

    /** Once the generated password is changed, it is good for nothing: its file goes too. */
    static void forgetGeneratedPassword() {
        passwordFile().ifPresent(file -> {
            try {
                Files.deleteIfExists(Path.of(file));
            } catch (IOException e) {
                LOG.warning("could not delete " + file + ": " + e.getMessage());
            }
        });
    }

    private static Optional<String> passwordFile() {
        return ConfigProvider.getConfig().getOptionalValue("segmatch.admin.initial-password-file", String.class);
    }

    /** Writes the password to a new file only its owner may read (replacing an older one). */
    static void writeOwnerOnly(Path file, String password) {
        try {
            Files.deleteIfExists(file);
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, password + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the first administrator's password to " + file, e);
        }
    }
}
