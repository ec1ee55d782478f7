package io.segmatch.shared.store;

import io.segmatch.shared.store.Transactions.Work;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** JDBC work on the application's datasource, with database errors as unchecked exceptions. */
public final class Jdbc {

    private Jdbc() {
    }

    /**
     * The SQL type of a column holding row keys, in every table the server creates: compared
     * byte by byte whatever the database's locale, as in the tables of the schema (migration
     * V15), so that joins between them use their key indexes.
     */
    public static final String ROW_KEY_TYPE = "text COLLATE \"C\"";

    /** Runs work on a connection, in the caller's transaction if there is one. */
    public static <T> T run(DataSource dataSource, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw new IllegalStateException("database error: " + e.getMessage(), e);
        }
    }

    /** Runs work in a local transaction of its own (the caller must not be in a JTA transaction). */
    public static <T> T inLocalTransaction(DataSource dataSource, Work<T> work) {
        return run(dataSource, c -> {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        });
    }

    /**
     * Runs work with some of the planner's methods off ({@code "seqscan"}, {@code "hashjoin"}: the
     * {@code enable_…} settings), for this transaction only, and sets them back after it. A
     * failed work leaves them to the rollback, which undoes them (a statement in an aborted
     * transaction would hide the failure). No methods: the work alone.
     */
    public static <T> T withPlannerOff(Connection c, List<String> methods, Work<T> work) throws SQLException {
        List<String> before = new ArrayList<>();
        for (String method : methods) {
            before.add(setting(c, "enable_" + method, "off"));
        }
        T result = work.apply(c);
        for (int i = 0; i < methods.size(); i++) {
            setting(c, "enable_" + methods.get(i), before.get(i));
        }
        return result;
    }

    /**
     * Runs work with parallel workers costed as free ({@code parallel_setup_cost} and
     * {@code parallel_tuple_cost} at 0), for this transaction only, and sets them back after it:
     * for a statement whose rows the planner cannot count in advance (how few differ, how few
     * move), which it would otherwise keep in one process. A failed work leaves them to the
     * rollback, as {@link #withPlannerOff} does. The connection must be in a transaction: on
     * one in autocommit mode the settings would last only for the statement that sets them.
     */
    public static <T> T withParallelWorkersFree(Connection c, Work<T> work) throws SQLException {
        return withParallelWorkersFree(c, 0, work);
    }

    /**
     * {@link #withParallelWorkersFree(Connection, Work)} with at least {@code minWorkers} workers
     * allowed per statement ({@code max_parallel_workers_per_gather} raised to it if lower): for
     * a statement whose own process is kept busy writing what the workers gather, so that the
     * workers alone must keep the processors busy.
     */
    public static <T> T withParallelWorkersFree(Connection c, int minWorkers, Work<T> work) throws SQLException {
        String setup = setting(c, "parallel_setup_cost", "0");
        String tuple = setting(c, "parallel_tuple_cost", "0");
        String workers = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT current_setting('max_parallel_workers_per_gather')::int")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) < minWorkers) {
                    workers = setting(c, "max_parallel_workers_per_gather", String.valueOf(minWorkers));
                }
            }
        }
        T result = work.apply(c);
        setting(c, "parallel_setup_cost", setup);
        setting(c, "parallel_tuple_cost", tuple);
        if (workers != null) {
            setting(c, "max_parallel_workers_per_gather", workers);
        }
        return result;
    }

    /** Sets a planner setting for the rest of the transaction; returns the value it had. */
    private static String setting(Connection c, String name, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT current_setting(?), set_config(?, ?, true)")) {
            ps.setString(1, name);
            ps.setString(2, name);
            ps.setString(3, value);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
