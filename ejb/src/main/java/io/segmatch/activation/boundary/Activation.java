package io.segmatch.activation.boundary;

import io.segmatch.activation.control.SyncStarter;
import io.segmatch.activation.store.GoogleAdsConnection;
import io.segmatch.activation.store.SyncRuns;
import io.segmatch.membership.store.Transactions;
import io.segmatch.shared.control.DataSourceConfig;
import io.segmatch.shared.control.Jdbc;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Activation as the API and the console see it: the connection, the sync runs, starting a sync. */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class Activation {

    @Resource(lookup = DataSourceConfig.JNDI_NAME)
    DataSource dataSource;

    @EJB
    SyncStarter starter;

    /** The stored connection's state and the newest sync's end. */
    public record Connection(GoogleAdsConnection.State stored, Instant lastSync) {
    }

    public Connection connection() {
        return query(c -> {
            Instant last = null;
            try (var ps = c.prepareStatement("SELECT max(ended_at) FROM sync_batch WHERE status = 'completed'");
                 var rs = ps.executeQuery()) {
                if (rs.next() && rs.getTimestamp(1) != null) {
                    last = rs.getTimestamp(1).toInstant();
                }
            }
            return new Connection(GoogleAdsConnection.state(c), last);
        });
    }

    public List<SyncRuns.Run> runs(String segmentId, int limit) {
        return query(c -> SyncRuns.list(c, segmentId, limit));
    }

    /** Starts a sync of every activated segment now; empty when one is running already. */
    public Optional<Long> start() {
        return starter.start("requested through the API");
    }

    private <T> T query(Transactions.Work<T> work) {
        return Jdbc.run(dataSource, work);
    }
}
