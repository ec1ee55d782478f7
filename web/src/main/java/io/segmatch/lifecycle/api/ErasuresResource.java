package io.segmatch.lifecycle.api;

import io.segmatch.access.control.Role;
import io.segmatch.lifecycle.boundary.PersonErasure;
import io.segmatch.lifecycle.store.Erasures;
import io.segmatch.shared.api.JsonBody;
import io.segmatch.shared.api.QueryParams;
import io.segmatch.shared.error.SegmatchException.FieldError;
import io.segmatch.shared.error.SegmatchException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import java.util.List;
import java.util.Set;

import static io.segmatch.shared.api.JsonTimes.time;
import static io.segmatch.shared.json.Jsons.JSON;

/**
 * {@code POST /api/erasures} {@code {"datasetId"?, "key" | "email" | "phone"}}: forgets a person
 * (docs/security.md); {@code GET /api/erasures} and {@code /api/erasures/{id}}: the requests, never
 * the person's data. Administrators only.
 */
@ApplicationScoped
@Path("erasures")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Names.ADMIN)
public class ErasuresResource {

    private static final Set<String> FIELDS = Set.of("datasetId", "key", "email", "phone");

    @Inject
    PersonErasure erasure;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response erase(String body) {
        JsonObject json = JsonBody.object(body);
        for (var e : json.entrySet()) {
            if (!FIELDS.contains(e.getKey())) {
                throw SegmatchException.invalid("invalid-erasure", "unknown field " + e.getKey(),
                        List.of(FieldError.field(e.getKey(), "not a field of an erasure (datasetId, key, email, phone)")));
            }
            if (e.getValue().getValueType() != JsonValue.ValueType.STRING && e.getValue() != JsonValue.NULL) {
                throw SegmatchException.invalid("invalid-erasure", e.getKey() + " must be a string",
                        List.of(FieldError.field(e.getKey(), "a string")));
            }
        }
        Erasures.Erasure done = erasure.erase(new PersonErasure.Request(JsonBody.text(json, "datasetId"),
                JsonBody.text(json, "key"), JsonBody.text(json, "email"), JsonBody.text(json, "phone")));
        return Response.created(UriBuilder.fromPath("erasures/{id}").build(done.id()))
                .entity(json(done).build().toString()).build();
    }

    @GET
    public String list(@QueryParam("limit") @DefaultValue("100") String limit) {
        var list = JSON.createArrayBuilder();
        erasure.recent(QueryParams.limit(limit, 1000)).forEach(e -> list.add(json(e)));
        return list.build().toString();
    }

    @GET
    @Path("{id}")
    public String get(@PathParam("id") String id) {
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw SegmatchException.notFound("erasure-not-found", "no erasure " + id);
        }
        return json(erasure.find(n).orElseThrow(() -> SegmatchException.notFound("erasure-not-found", "no erasure " + id)))
                .build().toString();
    }

    static JsonObjectBuilder json(Erasures.Erasure e) {
        JsonObjectBuilder b = JSON.createObjectBuilder().add("id", e.id()).add("requestedBy", e.requestedBy())
                .add("matchedBy", e.matchedBy()).add("rowsErased", e.rowsErased()).add("datasets", e.datasets())
                .add("status", e.status());
        time(b, "requestedAt", e.requestedAt());
        time(b, "completedAt", e.completedAt());
        return b;
    }
}
