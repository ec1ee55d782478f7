package io.segmatch.activation.meta;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * The Graph API calls of a Meta sync, as a MicroProfile REST client: every call carries the
 * token in {@code Authorization} and, when an app secret is configured, the proof with its
 * time as parameters (null parameters are left out). A removal is {@code POST /users} with
 * {@code method=DELETE}, as Meta documents it (a body on an HTTP DELETE is refused by some
 * clients). Responses are read by the caller ({@link MetaCalls}), whatever their status. No
 * class-level {@code @Path}: the WAR's JAX-RS application would take the interface for one of
 * its own resources.
 */
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface MetaApi {

    @POST
    @Path("{version}/act_{account}/customaudiences")
    Response createAudience(@PathParam("version") String version, @PathParam("account") String account,
                            @HeaderParam("Authorization") String authorization, @QueryParam("appsecret_proof") String proof,
                            @QueryParam("appsecret_time") Long time, CreateAudience body);

    @POST
    @Path("{version}/{audience}/users")
    Response users(@PathParam("version") String version, @PathParam("audience") String audience,
                   @QueryParam("method") String method, @HeaderParam("Authorization") String authorization,
                   @QueryParam("appsecret_proof") String proof, @QueryParam("appsecret_time") Long time, Users body);

    @GET
    @Path("{version}/{audience}")
    Response audience(@PathParam("version") String version, @PathParam("audience") String audience,
                      @QueryParam("fields") String fields, @HeaderParam("Authorization") String authorization,
                      @QueryParam("appsecret_proof") String proof, @QueryParam("appsecret_time") Long time);

    @GET
    @Path("{version}/act_{account}")
    Response account(@PathParam("version") String version, @PathParam("account") String account,
                     @QueryParam("fields") String fields, @HeaderParam("Authorization") String authorization,
                     @QueryParam("appsecret_proof") String proof, @QueryParam("appsecret_time") Long time);

    /** {@code POST /act_{id}/customaudiences}: a customer-list audience. */
    @JsonbPropertyOrder({"name", "subtype", "description", "customerFileSource"})
    record CreateAudience(String name, String subtype, String description,
                          @JsonbProperty("customer_file_source") String customerFileSource) {
    }

    /** {@code POST /{audience}/users}: a batch of a session. */
    @JsonbPropertyOrder({"session", "payload"})
    record Users(Session session, Payload payload) {
    }

    /** A sync's upload session: its id, the batch's place from 1, whether it is the last. */
    @JsonbPropertyOrder({"sessionId", "batchSeq", "lastBatchFlag", "estimatedNumTotal"})
    record Session(@JsonbProperty("session_id") long sessionId, @JsonbProperty("batch_seq") int batchSeq,
                   @JsonbProperty("last_batch_flag") boolean lastBatchFlag,
                   @JsonbProperty("estimated_num_total") Long estimatedNumTotal) {
    }

    /** The multi-key schema and one row of values per person ({@code is_raw}: keys are single, not combined). */
    @JsonbPropertyOrder({"schema", "isRaw", "data"})
    record Payload(List<String> schema, @JsonbProperty("is_raw") boolean isRaw, List<List<String>> data) {
    }
}
