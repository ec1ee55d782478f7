package io.segmatch.launcher;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The embedded database's parallel workers per statement: one fewer than the processors, at most PostgreSQL's two. */
class ParallelWorkersTest {

    @Test
    void oneFewerThanTheProcessorsOnSmallMachines() {
        assertEquals(0, LocalServer.parallelWorkersFor(1));
        assertEquals(1, LocalServer.parallelWorkersFor(2));
        assertEquals(2, LocalServer.parallelWorkersFor(3));
    }

    @Test
    void neverMoreThanPostgresqlsDefault() {
        assertEquals(2, LocalServer.parallelWorkersFor(4));
        assertEquals(2, LocalServer.parallelWorkersFor(64));
        assertEquals(0, LocalServer.parallelWorkersFor(0));
    }
}
