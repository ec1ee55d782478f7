package io.segmatch.shared.api;

import jakarta.ejb.EJBException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A lost database answers 503 (try again), not a 500 incident: which failures count as that. */
class DatabaseUnavailableTest {

    @Test
    void connectionFailuresAndServerShutdownsAnywhereInTheChainCount() {
        assertTrue(ProblemMappers.databaseUnavailable(new EJBException("database error",
                new IllegalStateException(new SQLException("This connection has been closed.", "08003")))));
        assertTrue(ProblemMappers.databaseUnavailable(new SQLException("refused", "08001")));
        assertTrue(ProblemMappers.databaseUnavailable(new SQLException("terminating connection due to unexpected postmaster exit", "57P01")));
        assertTrue(ProblemMappers.databaseUnavailable(new SQLException("the database system is starting up", "57P03")));
    }

    @Test
    void otherDatabaseErrorsAndBugsDoNot() {
        assertFalse(ProblemMappers.databaseUnavailable(new SQLException("duplicate key", "23505")));
        assertFalse(ProblemMappers.databaseUnavailable(new SQLException("no state")));
        assertFalse(ProblemMappers.databaseUnavailable(new IllegalStateException("a bug")));
    }
}
