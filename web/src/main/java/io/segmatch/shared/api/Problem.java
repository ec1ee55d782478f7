package io.segmatch.shared.api;

import io.segmatch.shared.error.SegmatchException.FieldError;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.Response;

import java.util.List;

import static io.segmatch.shared.json.Jsons.JSON;

/** Builds RFC 9457 problem documents ({@code application/problem+json}). */
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_BASE = "https://segmatch.io/problems/";

    private Problem() {
    }

    public static Response response(int status, String type, String title, String detail, List<FieldError> errors) {
        JsonObjectBuilder body = JSON.createObjectBuilder()
                .add("type", TYPE_BASE + type)
                .add("title", title)
                .add("status", status);
        if (detail != null) {
            body.add("detail", detail);
        }
        if (!errors.isEmpty()) {
            JsonArrayBuilder list = JSON.createArrayBuilder();
            for (FieldError e : errors) {
                JsonObjectBuilder item = JSON.createObjectBuilder();
                if (e.field() != null) {
                    item.add("field", e.field());
                }
                if (e.line() != null) {
                    item.add("line", e.line());
                }
                list.add(item.add("message", e.message()));
            }
            body.add("errors", list);
        }
        return Response.status(status).type(MEDIA_TYPE).entity(body.build().toString()).build();
    }

    public static Response response(int status, String type, String title, String detail) {
        return response(status, type, title, detail, List.of());
    }
}
