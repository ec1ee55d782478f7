package io.segmatch.processing.api;

import io.segmatch.access.control.Role;
import io.segmatch.membership.store.ProcessingRuns.Run;
import io.segmatch.processing.boundary.Processing;
import io.segmatch.shared.api.QueryParams;
import io.segmatch.shared.error.SegmatchException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
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

import static io.segmatch.shared.api.JsonTimes.time;
import static io.segmatch.shared.json.Jsons.JSON;

/** The processing API (docs/processing.md): pending changes, the runs, and starting one. */
@ApplicationScoped
@Path("processing")
@Produces(MediaType.APPLICATION_JSON)
public class ProcessingResource {

    @Inject
    Processing processing;

    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    public String state() {
        var state = processing.state();
        JsonObjectBuilder body = JSON.createObjectBuilder()
                .add("pendingChanges", state.pendingChanges())
                .add("running", state.running());
        if (state.lastRun() == null) {
            body.addNull("lastRun");
        } else {
            body.add("lastRun", run(state.lastRun()));
        }
        return body.build().toString();
    }

    /** 202 with {@code {id, status}}: a run started now, or the one already running. */
    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Path("runs")
    public Response start() {
        var claim = processing.start();
        return Response.accepted(JSON.createObjectBuilder().add("id", claim.run().id())
                .add("status", claim.run().status().apiName()).add("started", claim.started()).build().toString()).build();
    }

    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("runs")
    public String runs(@QueryParam("limit") @DefaultValue("20") String limit) {
        JsonArrayBuilder runs = JSON.createArrayBuilder();
        processing.runs(QueryParams.limit(limit, 100)).forEach(r -> runs.add(run(r)));
        return runs.build().toString();
    }

    /** One run, with its batch job's steps and their metrics when this server ran it. */
    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("runs/{id}")
    public String run(@PathParam("id") String id) {
        long runId;
        try {
            runId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw SegmatchException.notFound("run-not-found", "no processing run with id " + id);
        }
        Run run = processing.run(runId);
        JsonArrayBuilder steps = JSON.createArrayBuilder();
        for (var step : processing.steps(run)) {
            JsonObjectBuilder metrics = JSON.createObjectBuilder();
            step.metrics().forEach(metrics::add);
            steps.add(JSON.createObjectBuilder().add("name", step.name()).add("status", step.status()).add("metrics", metrics));
        }
        return JSON.createObjectBuilder(run(run)).add("steps", steps).build().toString();
    }

    static JsonObject run(Run r) {
        JsonObjectBuilder b = JSON.createObjectBuilder()
                .add("id", r.id())
                .add("status", r.status().apiName())
                .add("reason", r.reason())
                .add("startedAt", r.startedAt().toString());
        time(b, "endedAt", r.endedAt());
        b.add("rowsEvaluated", r.rowsEvaluated()).add("segmentsEvaluated", r.segmentsEvaluated())
                .add("entered", r.entered()).add("exited", r.exited());
        if (r.error() != null) {
            b.add("error", r.error());
        }
        return b.build();
    }
}
