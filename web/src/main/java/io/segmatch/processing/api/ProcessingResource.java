package io.segmatch.processing.api;

import io.segmatch.processing.boundary.Processing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import static io.segmatch.shared.json.Jsons.JSON;

/** The processing API (api.md, "Processing"): so far, the captured changes awaiting evaluation. */
@ApplicationScoped
@Path("processing")
@Produces(MediaType.APPLICATION_JSON)
public class ProcessingResource {

    @Inject
    Processing processing;

    @GET
    public String state() {
        return JSON.createObjectBuilder()
                .add("pendingChanges", processing.pendingChanges())
                .add("running", false)
                .addNull("lastRun")
                .build().toString();
    }
}
