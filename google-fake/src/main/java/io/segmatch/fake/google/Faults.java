package io.segmatch.fake.google;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.segmatch.fake.google.Exchanges.send;

/** The faults queued per endpoint, each answering one call in place of the real answer. */
final class Faults {

    private final Map<String, Deque<Fault>> queued = new ConcurrentHashMap<>();

    void add(String endpoint, Fault... inOrder) {
        queued.computeIfAbsent(endpoint, e -> new ArrayDeque<>()).addAll(List.of(inOrder));
    }

    /** Answers this call with the endpoint's next fault, if one is queued; true when the fault answered it. */
    boolean answer(HttpExchange exchange, String endpoint) throws IOException {
        Deque<Fault> queue = queued.get(endpoint);
        Fault fault = queue == null ? null : queue.poll();
        if (fault == null) {
            return false;
        }
        if (fault.status() == 0) {
            Exchanges.LATE.set(fault.delay());
            return false;
        }
        if (fault.delay() != null) {
            try {
                Thread.sleep(fault.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        send(exchange, fault.status(), fault.body());
        return true;
    }
}
