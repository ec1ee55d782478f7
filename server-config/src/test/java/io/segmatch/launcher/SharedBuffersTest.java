package io.segmatch.launcher;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The embedded database's buffer pool: a quarter of a small machine's memory, 256 MB on any larger one. */
class SharedBuffersTest {

    private static final long GIB = 1024L * 1024 * 1024;

    @Test
    void aQuarterOfASmallMachine() {
        assertEquals("200MB", LocalServer.sharedBuffersFor(800L * 1024 * 1024));
        assertEquals("255MB", LocalServer.sharedBuffersFor(GIB - 4 * 1024 * 1024));
    }

    @Test
    void neverLessThan128MbNorMoreThan256Mb() {
        assertEquals("128MB", LocalServer.sharedBuffersFor(GIB / 4));
        assertEquals("128MB", LocalServer.sharedBuffersFor(0));
        assertEquals("256MB", LocalServer.sharedBuffersFor(GIB));
        assertEquals("256MB", LocalServer.sharedBuffersFor(24 * GIB));
        assertEquals("256MB", LocalServer.sharedBuffersFor(512 * GIB));
    }
}
