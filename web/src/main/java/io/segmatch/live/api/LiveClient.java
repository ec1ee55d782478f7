package io.segmatch.live.api;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * One connected stream. Writes never block: an event is written only while the container says
 * the connection can take it ({@link ServletOutputStream#isReady()}); otherwise it waits as the
 * client's one pending event, and a newer event replaces it (each {@code segments} event is the
 * whole state, so a slow client simply skips to the newest). The container calls
 * {@link #onWritePossible()} when the connection drains.
 */
final class LiveClient implements WriteListener, AsyncListener {

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final Consumer<LiveClient> onClose;

    /** Written before the first event (the reconnection delay). */
    private byte[] preface;
    private byte[] pending;
    /** Since when an event has been waiting for the connection to drain (0: none waiting). */
    private long waitingSince;
    private boolean closed;

    LiveClient(AsyncContext async, ServletOutputStream out, byte[] preface, Consumer<LiveClient> onClose) {
        this.async = async;
        this.preface = preface;
        this.out = out;
        this.onClose = onClose;
    }

    /** Queues an event (replacing one not yet written) and writes it if the connection can take it now. */
    synchronized void offer(byte[] event) {
        if (closed) {
            return;
        }
        pending = event;
        if (waitingSince == 0) {
            waitingSince = System.nanoTime();
        }
        drain();
    }

    @Override
    public synchronized void onWritePossible() {
        drain();
    }

    private void drain() {
        if (closed) {
            return;
        }
        try {
            if (preface != null && out.isReady()) {
                byte[] first = preface;
                preface = null;
                out.write(first);
            }
            while (preface == null && pending != null && out.isReady()) {
                byte[] event = pending;
                pending = null;
                out.write(event);
            }
            if (out.isReady()) {
                out.flush();
            }
            if (pending == null) {
                waitingSince = 0;
            }
        } catch (IOException | IllegalStateException e) {
            close();
        }
    }

    /** How long an event has been waiting for this client to read (0 when nothing waits). */
    synchronized long waitingNanos() {
        return waitingSince == 0 ? 0 : System.nanoTime() - waitingSince;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Ends the stream (the container finishes the response; it may block a moment on a stalled socket). */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            pending = null;
        }
        onClose.accept(this);
    }

    /** Completes the response: called off the broadcasting thread. */
    void complete() {
        try {
            async.complete();
        } catch (IllegalStateException alreadyDone) {
            // the container completed it first (the client went away)
        }
    }

    @Override
    public void onError(Throwable t) {
        close();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        close();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        close();
    }

    @Override
    public void onError(AsyncEvent event) {
        close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
