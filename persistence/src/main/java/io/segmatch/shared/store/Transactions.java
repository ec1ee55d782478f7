package io.segmatch.shared.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs work in a transaction of its own on a connection of the application's database. */
@FunctionalInterface
public interface Transactions {

    /** A unit of work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    <T> T run(Work<T> work) throws Exception;
}
