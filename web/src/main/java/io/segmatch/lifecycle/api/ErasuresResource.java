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
                .entity(LifecycleViews.Erasure.of(done)).build();
    }

    @GET
    public List<LifecycleViews.Erasure> list(@QueryParam("limit") @DefaultValue("100") String limit) {
        return erasure.recent(QueryParams.limit(limit, 1000)).stream().map(LifecycleViews.Erasure::of).toList();
    }

    @GET
    @Path("{id}")
    public LifecycleViews.Erasure get(@PathParam("id") String id) {
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw SegmatchException.notFound("erasure-not-found", "no erasure " + id);
        }
        return LifecycleViews.Erasure.of(erasure.find(n)
                .orElseThrow(() -> SegmatchException.notFound("erasure-not-found", "no erasure " + id)));
    }
}
