package io.segmatch.fake.meta;

import com.sun.net.httpserver.HttpExchange;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A Graph API request's parameters as the fake reads them: a JSON or form body, and the query. */
final class GraphRequests {

    private GraphRequests() {
    }

    /** The request body: JSON, or a form's fields as strings; an empty object when there is none. */
    static JsonObject body(HttpExchange exchange, String text) {
        if (text.isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
            var b = Json.createObjectBuilder();
            form(text).forEach(b::add);
            return b.build();
        }
        try {
            return Json.createReader(new StringReader(text)).readObject();
        } catch (RuntimeException e) {
            throw new FakeAudience.Refused(GraphErrors.invalidParameter("The request body is not valid JSON"));
        }
    }

    /** URL-encoded {@code name=value} pairs (a query or a form body). */
    static Map<String, String> form(String text) {
        Map<String, String> map = new HashMap<>();
        if (text == null || text.isEmpty()) {
            return map;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            map.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return map;
    }
}
