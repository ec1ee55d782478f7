package io.segmatch.access.api;

import io.segmatch.access.boundary.Accounts;
import io.segmatch.access.boundary.Caller;
import io.segmatch.access.control.Role;
import io.segmatch.access.store.Users;
import io.segmatch.access.web.SegmatchAuthentication;
import io.segmatch.shared.api.JsonBody;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;


/** {@code /api/me}: who the caller is, and changing one's own password. */
@Path("me")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
public class MeResource {

    @Inject
    Accounts accounts;

    @Context
    HttpServletRequest request;

    @GET
    public AccessViews.Me me() {
        Caller caller = Callers.of(request);
        Users.User u = accounts.user(caller.username());
        return new AccessViews.Me(u.username(), caller.role().apiName(), u.createdAt(), u.mustChangePassword());
    }

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    public AccessViews.Me changePassword(String body) {
        JsonObject json = JsonBody.object(body);
        accounts.changeOwnPassword(Callers.of(request).username(), JsonBody.text(json, "currentPassword"), JsonBody.text(json, "password"));
        SegmatchAuthentication.keepSessionAfterOwnPasswordChange(request);
        return me();
    }

}
