package io.segmatch.activation.api;

import io.segmatch.access.control.Role;
import io.segmatch.activation.boundary.Activation;
import io.segmatch.activation.store.SyncRuns;
import io.segmatch.shared.api.QueryParams;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.StringReader;

import static io.segmatch.shared.api.JsonTimes.time;
import static io.segmatch.shared.json.Jsons.JSON;

/** The activation API: the Google Ads connection (never a token), the sync runs, starting a sync. */
@ApplicationScoped
@Path("activation")
@Produces(MediaType.APPLICATION_JSON)
public class ActivationResource {

    @Inject
    Activation activation;

    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("google-ads")
    public String googleAds() {
        var config = ConfigProvider.getConfig();
        var state = activation.connection();
        boolean configuredToken = config.getOptionalValue("segmatch.googleads.oauth.refresh-token", String.class)
                .filter(v -> !v.isBlank()).isPresent();
        JsonObjectBuilder b = JSON.createObjectBuilder()
                .add("connected", (state.stored().stored() && !state.stored().needsReconnect()) || configuredToken)
                .add("needsReconnect", state.stored().needsReconnect());
        optional(b, "customerId", config.getOptionalValue("segmatch.googleads.customer-id", String.class).orElse(null));
        optional(b, "loginCustomerId", config.getOptionalValue("segmatch.googleads.login-customer-id", String.class).orElse(null));
        b.add("api", config.getOptionalValue("segmatch.googleads.api", String.class).orElse("google-ads"));
        time(b, "lastSync", state.lastSync());
        if (state.stored().problem() != null) {
            b.add("problem", state.stored().problem());
        }
        return b.build().toString();
    }

    /** 202: a sync of every activated segment started now (or the one running goes on). */
    @RolesAllowed(Role.Names.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Path("runs")
    public Response start() {
        var batch = activation.start();
        JsonObjectBuilder b = JSON.createObjectBuilder().add("started", batch.isPresent());
        batch.ifPresent(id -> b.add("batchId", id));
        return Response.accepted(b.build().toString()).build();
    }

    /** 204: the stored Google connection is forgotten (the refresh token is deleted). */
    @RolesAllowed(Role.Names.ADMIN)
    @DELETE
    @Path("google-ads")
    public Response disconnect() {
        activation.disconnect();
        return Response.noContent().build();
    }

    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("runs")
    public String runs(@QueryParam("segmentId") String segmentId, @QueryParam("limit") @DefaultValue("20") String limit) {
        JsonArrayBuilder runs = JSON.createArrayBuilder();
        activation.runs(segmentId == null || segmentId.isBlank() ? null : segmentId, QueryParams.limit(limit, 100))
                .forEach(r -> runs.add(run(r)));
        return runs.build().toString();
    }

    static JsonObject run(SyncRuns.Run r) {
        JsonObjectBuilder b = JSON.createObjectBuilder().add("id", r.id()).add("segmentId", r.segmentId())
                .add("status", r.status().apiName()).add("startedAt", r.startedAt().toString());
        time(b, "endedAt", r.endedAt());
        b.add("plannedAdds", r.plannedAdds()).add("plannedRemoves", r.plannedRemoves()).add("sent", r.sent())
                .add("added", r.added()).add("removed", r.removed()).add("rejected", r.rejected())
                .add("rejectedByCode", JSON.createReader(new StringReader(r.rejectedCodes())).readObject())
                .add("skipped", r.skipped());
        optional(b, "userList", r.userList());
        if (r.plan() != null) {
            b.add("plan", JSON.createObjectBuilder().add("scope", r.plan().scope()).add("examined", r.plan().examined())
                    .add("millis", r.plan().millis()));
        }
        if (r.listSize() == null) {
            b.addNull("listSize");
        } else {
            b.add("listSize", r.listSize());
        }
        if (r.matchRate() == null) {
            b.addNull("matchRate");
        } else {
            b.add("matchRate", r.matchRate());
        }
        JsonArrayBuilder ids = JSON.createArrayBuilder();
        for (String id : r.requestIds().isBlank() ? new String[0] : r.requestIds().split(" ")) {
            ids.add(id);
        }
        b.add("requestIds", ids);
        JsonArrayBuilder jobs = JSON.createArrayBuilder();
        r.jobs().forEach(j -> {
            JsonObjectBuilder job = JSON.createObjectBuilder().add("kind", j.kind()).add("status", j.status().apiName());
            optional(job, "resourceName", j.resourceName());
            optional(job, "matchRateRange", j.matchRateRange());
            optional(job, "error", j.error());
            jobs.add(job);
        });
        b.add("jobs", jobs);
        if (r.error() != null) {
            b.add("error", r.error());
        }
        return b.build();
    }

    private static void optional(JsonObjectBuilder b, String name, String value) {
        if (value == null) {
            b.addNull(name);
        } else {
            b.add(name, value);
        }
    }
}
