package io.segmatch.processing.api;

import io.segmatch.access.control.Role;
import io.segmatch.membership.store.ProcessingRuns.Run;
import io.segmatch.processing.boundary.Processing;
import io.segmatch.shared.api.QueryParams;
import io.segmatch.shared.error.SegmatchException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

import java.util.List;

/** The processing API (docs/processing.md): pending changes, the runs, and starting one. */
@ApplicationScoped
@Path("processing")
@Produces(MediaType.APPLICATION_JSON)
public class ProcessingResource {

    @Inject
    Processing processing;

    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    public ProcessingViews.State state() {
        return ProcessingViews.State.of(processing.state());
    }

    /** 202 with {@code {id, status, started}}: a run started now, or the one already running. */
    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Path("runs")
    public Response start() {
        var claim = processing.start();
        return Response.accepted(new ProcessingViews.Started(claim.run().id(), claim.run().status().apiName(),
                claim.started())).build();
    }

    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("runs")
    public List<ProcessingViews.Run> runs(@QueryParam("limit") @DefaultValue("20") String limit) {
        return processing.runs(QueryParams.limit(limit, 100)).stream().map(ProcessingViews.Run::of).toList();
    }

    /** One run, with its batch job's steps and their metrics when this server ran it. */
    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("runs/{id}")
    public ProcessingViews.RunWithSteps run(@PathParam("id") String id) {
        long runId;
        try {
            runId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw SegmatchException.notFound("run-not-found", "no processing run with id " + id);
        }
        Run run = processing.run(runId);
        return ProcessingViews.RunWithSteps.of(run, processing.steps(run));
    }
}
