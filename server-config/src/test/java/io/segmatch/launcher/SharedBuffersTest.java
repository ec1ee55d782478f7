package io.segmatch.launcher;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The embedded database's buffer pool follows the machine's memory, within bounds. */
class SharedBuffersTest {

    private static final long GIB = 1024L * 1024 * 1024;

    @Test
    void aQuarterOfTheMemory() {
        assertEquals("6144MB", LocalServer.sharedBuffersFor(24 * GIB));
        assertEquals("2048MB", LocalServer.sharedBuffersFor(8 * GIB));
        assertEquals("511MB", LocalServer.sharedBuffersFor(2 * GIB - 4 * 1024 * 1024));
    }

    @Test
    void neverLessThan128MbNorMoreThan8Gb() {
        assertEquals("128MB", LocalServer.sharedBuffersFor(GIB / 4));
        assertEquals("128MB", LocalServer.sharedBuffersFor(0));
        assertEquals("8192MB", LocalServer.sharedBuffersFor(32 * GIB));
        assertEquals("8192MB", LocalServer.sharedBuffersFor(512 * GIB));
    }
}
