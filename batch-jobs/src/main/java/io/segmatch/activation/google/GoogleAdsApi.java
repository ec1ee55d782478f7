package io.segmatch.activation.google;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The Google Ads API (REST) calls of a Customer Match sync. Every call carries the access
 * token; the manager account and developer token are added by {@link GoogleHeaders} when
 * configured (a null header parameter goes out as an empty header on some Jersey versions). Responses are read by the caller, whatever their status. No class-level {@code @Path}:
 * the WAR's JAX-RS application would take the interface for one of its own resources.
 */
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface GoogleAdsApi {

    @POST
    @Path("{version}/customers/{customerId}/userLists:mutate")
    Response mutateUserLists(@PathParam("version") String version, @PathParam("customerId") String customerId,
                             @HeaderParam("Authorization") String authorization,
                             GoogleAds.MutateUserListsRequest body);

    @POST
    @Path("{version}/customers/{customerId}/offlineUserDataJobs:create")
    Response createJob(@PathParam("version") String version, @PathParam("customerId") String customerId,
                       @HeaderParam("Authorization") String authorization, GoogleAds.CreateJobRequest body);

    @POST
    @Path("{version}/customers/{customerId}/offlineUserDataJobs/{jobId}:addOperations")
    Response addOperations(@PathParam("version") String version, @PathParam("customerId") String customerId,
                           @PathParam("jobId") String jobId, @HeaderParam("Authorization") String authorization, GoogleAds.AddOperationsRequest body);

    @POST
    @Path("{version}/customers/{customerId}/offlineUserDataJobs/{jobId}:run")
    Response run(@PathParam("version") String version, @PathParam("customerId") String customerId,
                 @PathParam("jobId") String jobId, @HeaderParam("Authorization") String authorization, GoogleAds.RunRequest body);

    @POST
    @Path("{version}/customers/{customerId}/googleAds:search")
    Response search(@PathParam("version") String version, @PathParam("customerId") String customerId,
                    @HeaderParam("Authorization") String authorization, GoogleAds.SearchRequest body);
}
