package io.segmatch.live.api;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stream writer's rules, against an output stream whose readiness the test controls (as
 * the container's non-blocking output reports it): nothing is written while the connection
 * cannot take it, offering never waits, the newest event replaces one not yet written, and a
 * failed write ends the client.
 */
class LiveClientTest {

    /** The container's non-blocking output, as far as the client sees it. */
    static final class Output extends ServletOutputStream {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        boolean ready = true;
        boolean broken;

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
        }

        @Override
        public void write(int b) throws IOException {
            if (!ready) {
                throw new IllegalStateException("written while not ready");
            }
            if (broken) {
                throw new IOException("Broken pipe");
            }
            written.write(b);
        }

        String text() {
            return written.toString(StandardCharsets.UTF_8);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesThePrefaceThenEachEventWhileTheConnectionTakesThem() {
        Output out = new Output();
        LiveClient client = new LiveClient(null, out, bytes("retry: 2000\n\n"), c -> { });
        client.offer(bytes("id: 1\n\n"));
        client.offer(bytes("id: 2\n\n"));
        assertEquals("retry: 2000\n\nid: 1\n\nid: 2\n\n", out.text());
        assertEquals(0, client.waitingNanos());
    }

    @Test
    void aStalledConnectionKeepsOnlyTheNewestEventAndNeverBlocksTheCaller() {
        Output out = new Output();
        LiveClient client = new LiveClient(null, out, bytes("retry: 2000\n\n"), c -> { });
        client.offer(bytes("id: 1\n\n"));
        out.ready = false;
        for (int i = 2; i <= 1000; i++) {
            client.offer(bytes("id: " + i + "\n\n"));
        }
        assertEquals("retry: 2000\n\nid: 1\n\n", out.text(), "nothing written while the connection is full");
        assertTrue(client.waitingNanos() > 0, "the client knows an event is waiting");
        out.ready = true;
        client.onWritePossible();
        assertEquals("retry: 2000\n\nid: 1\n\nid: 1000\n\n", out.text(), "then only the newest state");
        assertEquals(0, client.waitingNanos());
    }

    @Test
    void thePrefaceIsWrittenFirstEvenWhenTheConnectionWasNotReadyAtOnce() {
        Output out = new Output();
        out.ready = false;
        LiveClient client = new LiveClient(null, out, bytes("retry: 2000\n\n"), c -> { });
        client.offer(bytes("id: 1\n\n"));
        client.offer(bytes("id: 2\n\n"));
        out.ready = true;
        client.onWritePossible();
        assertEquals("retry: 2000\n\nid: 2\n\n", out.text());
    }

    @Test
    void aFailedWriteEndsTheClientOnce() {
        Output out = new Output();
        AtomicInteger closed = new AtomicInteger();
        LiveClient client = new LiveClient(null, out, bytes("retry: 2000\n\n"), c -> closed.incrementAndGet());
        out.broken = true;
        client.offer(bytes("id: 1\n\n"));
        assertTrue(client.isClosed());
        client.offer(bytes("id: 2\n\n"));
        client.onError(new IOException("reset"));
        assertEquals(1, closed.get(), "told once that the client is gone");
    }
}
