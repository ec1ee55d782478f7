package io.segmatch.activation.boundary;

import io.segmatch.access.boundary.AuditTrail;
import io.segmatch.activation.control.SyncStarter;
import io.segmatch.activation.store.Destination;
import io.segmatch.activation.store.GoogleAdsConnection;
import io.segmatch.activation.store.MetaConnection;
import io.segmatch.activation.store.SyncBatches;
import io.segmatch.activation.store.SyncRuns;
import io.segmatch.shared.store.DataSourceConfig;
import io.segmatch.shared.store.Jdbc;
import io.segmatch.shared.store.Transactions;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Activation as the API and the console see it: the connection, the sync runs, starting a sync. */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class Activation {

    @Resource(lookup = DataSourceConfig.JNDI_NAME)
    DataSource dataSource;

    @EJB
    SyncStarter starter;

    @EJB
    AuditTrail audit;

    /** The stored connection's state and the newest sync's end. */
    public record Connection(GoogleAdsConnection.State stored, Instant lastSync) {
    }

    public Connection connection() {
        return query(c -> new Connection(GoogleAdsConnection.state(c), SyncBatches.lastCompleted(c).orElse(null)));
    }

    public List<SyncRuns.Run> runs(String segmentId, Destination destination, int limit) {
        return query(c -> SyncRuns.list(c, segmentId, destination, limit));
    }

    /** The stored Meta connection's state (never the token) and the newest completed Meta sync's end. */
    public record MetaState(MetaConnection.State stored, Instant lastSync) {
    }

    public MetaState meta() {
        return query(c -> new MetaState(MetaConnection.state(c), SyncBatches.lastCompleted(c, Destination.META).orElse(null)));
    }

    /** Stores a Meta system user's access token (encrypted); a refusal recorded before is forgotten. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void connectMeta(String accessToken) {
        query(c -> {
            MetaConnection.connect(c, accessToken);
            return null;
        });
        audit.record("meta_connected", "meta", "access token stored encrypted");
    }

    /**
     * The stored Meta token, decrypted, for the console's connection test (it is sent to Meta,
     * never shown); null when none is stored.
     */
    public String storedMetaToken() {
        return query(MetaConnection::accessToken);
    }

    /** Forgets the stored Meta token (Meta's syncs use the configured one, if any, or wait for a new one). */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public boolean disconnectMeta() {
        boolean was = query(MetaConnection::disconnect);
        if (was) {
            audit.record("meta_disconnected", "meta", "access token deleted");
        }
        return was;
    }

    /** Starts a sync of every activated segment now; empty when one is running already. */
    public Optional<Long> start() {
        Optional<Long> started = starter.start("requested through the API");
        audit.record("sync_requested", started.map(id -> "sync run " + id).orElse(null),
                started.isPresent() ? "started" : "a sync was already running");
        return started;
    }

    /** A fresh OAuth {@code state} for the consent page, usable once within ten minutes. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public String newState() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String state = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        query(c -> {
            GoogleAdsConnection.issueState(c, state);
            return null;
        });
        return state;
    }

    /** Whether a {@code state} came back that this server handed out in the last ten minutes (it is used up). */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public boolean consumeState(String state) {
        return query(c -> GoogleAdsConnection.consumeState(c, state));
    }

    /** Stores the refresh token of a completed connection (encrypted). */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void connect(String refreshToken) {
        query(c -> {
            GoogleAdsConnection.connect(c, refreshToken);
            return null;
        });
        audit.record("google_connected", "google-ads", "refresh token stored encrypted");
    }

    /** Forgets the stored Google connection (syncs wait until it is connected again). */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public boolean disconnect() {
        boolean was = query(GoogleAdsConnection::disconnect);
        if (was) {
            audit.record("google_disconnected", "google-ads", "refresh token deleted");
        }
        return was;
    }

    private <T> T query(Transactions.Work<T> work) {
        return Jdbc.run(dataSource, work);
    }
}
