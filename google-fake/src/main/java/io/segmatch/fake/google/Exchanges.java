package io.segmatch.fake.google;

import com.sun.net.httpserver.HttpExchange;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Reading requests and sending answers (JSON, forms, Google's request ids, late answers). */
final class Exchanges {

    private Exchanges() {
    }

    static String requestId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    }

    static String string(JsonObject o, String key, String fallback) {
        JsonValue v = o.get(key);
        if (v == null) {
            return fallback;
        }
        return v.getValueType() == JsonValue.ValueType.STRING ? o.getString(key) : v.toString();
    }

    static JsonObject readJson(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.isBlank() ? JsonValue.EMPTY_JSON_OBJECT : Json.createReader(new StringReader(text)).readObject();
        }
    }

    static Map<String, String> form(String text) {
        Map<String, String> map = new HashMap<>();
        if (text == null || text.isEmpty()) {
            return map;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            map.put(k, v);
        }
        return map;
    }

    static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    /** Set by a {@link Fault#lateAnswer} for the request this thread is handling. */
    static final ThreadLocal<Duration> LATE = new ThreadLocal<>();

    static void send(HttpExchange exchange, int status, JsonObject body) throws IOException {
        Duration delay = LATE.get();
        if (delay != null) {
            LATE.remove();
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.getResponseHeaders().add("request-id", requestId());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
