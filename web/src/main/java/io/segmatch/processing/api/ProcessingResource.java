package io.segmatch.processing.api;

import io.segmatch.processing.boundary.Processing;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The processing API (api.md, "Processing"): so far, the captured changes awaiting evaluation. */
@Path("processing")
@Produces(MediaType.APPLICATION_JSON)
public class ProcessingResource {

    @Inject
    Processing processing;

    @GET
    public String state() {
        return Json.createObjectBuilder()
                .add("pendingChanges", processing.pendingChanges())
                .add("running", false)
                .addNull("lastRun")
                .build().toString();
    }
}
