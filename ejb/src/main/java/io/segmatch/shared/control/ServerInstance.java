package io.segmatch.shared.control;

import io.segmatch.shared.store.DataSourceConfig;
import io.segmatch.shared.store.ServerInstances;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;

import java.io.IOException;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * This server's registration: an instance id and the advisory lock that proves it alive (see
 * {@link ServerInstances}), held on one connection kept for the server's lifetime, outside any
 * transaction. Runs and syncs this server starts carry the id, so that another server (or this
 * one, restarted) sees at once that their owner is gone. When the database drops the session
 * (a database restart), the server registers again under a new id: the runs of the old id were
 * cut off with the session anyway.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
@TransactionManagement(TransactionManagementType.BEAN)
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ServerInstance {

    private static final Logger LOG = Logger.getLogger(ServerInstance.class.getName());

    @Resource(lookup = DataSourceConfig.JNDI_NAME)
    DataSource dataSource;

    private Connection connection;
    private volatile Integer id;

    @PostConstruct
    void register() {
        check();
    }

    /** This server's instance id, or null while it is not registered (the database is unreachable). */
    public Integer id() {
        return id;
    }

    /**
     * This server's instance id for a run or sync it is about to start, checked now rather than
     * at the last two-second check: when the database dropped the session since (a database
     * restart), the server registers again first. So the work always carries a live owner, whose
     * death is seen at once — work recorded without one (the server unregistered) would be taken
     * for lost only when its heartbeat is {@code lost-after} old, and work under a dropped id
     * would be taken for lost while it runs. Null while the database is unreachable.
     */
    public Integer owner() {
        check();
        return id;
    }

    /** Every two seconds: the lock is still held, or the server registers again. */
    @Schedule(second = "*/2", minute = "*", hour = "*", persistent = false, info = "segmatch server instance")
    synchronized void check() {
        try {
            if (connection != null && id != null && ServerInstances.holds(connection, id)) {
                return;
            }
        } catch (SQLException lost) {
            LOG.log(Level.WARNING, "server instance {0} lost its database session: {1}", new Object[]{id, lost.getMessage()});
        }
        drop();
        try {
            Connection c = dataSource.getConnection();
            c.setAutoCommit(true);
            try {
                id = ServerInstances.register(c, host());
                connection = c;
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            LOG.info(() -> "registered as server instance " + id);
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "could not register the server instance (will try again): {0}", e.getMessage());
        }
    }

    @PreDestroy
    synchronized void unregister() {
        if (connection != null && id != null) {
            try {
                ServerInstances.release(connection, id);
            } catch (SQLException e) {
                LOG.log(Level.FINE, "releasing the instance lock", e);
            }
        }
        drop();
    }

    private void drop() {
        id = null;
        if (connection != null) {
            try {
                // never hand a lock back to the pool with its connection
                connection.createStatement().execute("SELECT pg_advisory_unlock_all()");
            } catch (SQLException ignored) {
                // the session is gone, and its locks with it
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the session is gone already
            }
            connection = null;
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName() + " (pid " + ProcessHandle.current().pid() + ")";
        } catch (IOException e) {
            return "pid " + ProcessHandle.current().pid();
        }
    }
}
