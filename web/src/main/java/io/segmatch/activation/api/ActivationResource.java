package io.segmatch.activation.api;

import io.segmatch.access.control.Role;
import io.segmatch.activation.boundary.Activation;
import io.segmatch.shared.api.QueryParams;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

import java.util.List;

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
    public ActivationViews.Connection googleAds() {
        var config = ConfigProvider.getConfig();
        var state = activation.connection();
        boolean configuredToken = config.getOptionalValue("segmatch.googleads.oauth.refresh-token", String.class)
                .filter(v -> !v.isBlank()).isPresent();
        return new ActivationViews.Connection((state.stored().stored() && !state.stored().needsReconnect()) || configuredToken,
                state.stored().needsReconnect(),
                config.getOptionalValue("segmatch.googleads.customer-id", String.class).orElse(null),
                config.getOptionalValue("segmatch.googleads.login-customer-id", String.class).orElse(null),
                config.getOptionalValue("segmatch.googleads.api", String.class).orElse("google-ads"),
                state.lastSync(), state.stored().problem());
    }

    /** 202: a sync of every activated segment started now (or the one running goes on). */
    @RolesAllowed(Role.Names.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Path("runs")
    public Response start() {
        var batch = activation.start();
        return Response.accepted(new ActivationViews.Started(batch.isPresent(), batch.orElse(null))).build();
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
    public List<ActivationViews.SyncRun> runs(@QueryParam("segmentId") String segmentId,
                                               @QueryParam("limit") @DefaultValue("20") String limit) {
        return activation.runs(segmentId == null || segmentId.isBlank() ? null : segmentId, QueryParams.limit(limit, 100))
                .stream().map(ActivationViews.SyncRun::of).toList();
    }
}
