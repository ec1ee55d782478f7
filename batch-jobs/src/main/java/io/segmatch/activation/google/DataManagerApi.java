package io.segmatch.activation.google;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The Data Manager API's audience member calls (synchronous, at most 10,000 members a
 * request). No class-level {@code @Path}: the WAR's JAX-RS application would serve it.
 */
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface DataManagerApi {

    @POST
    @Path("v1/audienceMembers:ingest")
    Response ingest(@HeaderParam("Authorization") String authorization, DataManager.IngestRequest body);

    @POST
    @Path("v1/audienceMembers:remove")
    Response remove(@HeaderParam("Authorization") String authorization, DataManager.RemoveRequest body);
}
