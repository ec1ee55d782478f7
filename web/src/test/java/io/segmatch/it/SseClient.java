package io.segmatch.it;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A Server-Sent Events client for the tests: reads the stream on its own thread and keeps every event with its arrival time. */
final class SseClient implements AutoCloseable {

    record Event(String id, String name, String data, Instant arrived) {
    }

    private final Socket socket;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Thread reader;
    final String contentType;
    private volatile String retryValue;

    /** Opens the stream over a plain socket (closing it from the test thread ends the read at once). */
    SseClient(URL url, String lastEventId, String authorization) throws IOException {
        socket = new Socket(url.getHost(), url.getPort());
        String request = "GET " + url.getFile() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                + "\r\nAccept: text/event-stream\r\n" + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n")
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream raw = new BufferedInputStream(socket.getInputStream());
        String status = line(raw);
        if (!status.startsWith("HTTP/1.1 200")) {
            socket.close();
            throw new IOException("GET " + url + " answered " + status);
        }
        String type = null;
        boolean chunked = false;
        for (String header = line(raw); !header.isEmpty(); header = line(raw)) {
            String name = header.substring(0, header.indexOf(':')).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(header.indexOf(':') + 1).trim();
            if (name.equals("content-type")) {
                type = value;
            } else if (name.equals("transfer-encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            }
        }
        contentType = type;
        InputStream body = chunked ? new Chunked(raw) : raw;
        BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        reader = new Thread(() -> read(in), "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the stream ended");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    /** HTTP/1.1 chunked transfer coding, decoded. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private int left;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                String size = line(in);
                if (size.isEmpty()) {
                    size = line(in);
                }
                left = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (left == 0) {
                    return -1;
                }
            }
            int n = in.read(b, off, Math.min(len, left));
            if (n < 0) {
                return -1;
            }
            left -= n;
            return n;
        }
    }

    private void read(BufferedReader in) {
        String id = null;
        String name = null;
        StringBuilder data = new StringBuilder();
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Event(id, name == null ? "message" : name, data.toString(), Instant.now()));
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(6));
                } else if (line.startsWith("retry: ")) {
                    retryValue = line.substring(7);
                }
            }
        } catch (IOException closed) {
            // the test closed the connection
        }
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    String retryValue() {
        return retryValue;
    }

    /** The first event (in arrival order) that matches, waiting up to {@code timeout}. */
    Event await(Predicate<Event> match, Duration timeout) throws InterruptedException {
        try {
            return Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> events.stream().filter(match).findFirst(), Optional::isPresent).orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no matching event within " + timeout + "; received: " + events, e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed already
        }
    }
}
