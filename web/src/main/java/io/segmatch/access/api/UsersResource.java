package io.segmatch.access.api;

import io.segmatch.access.boundary.Accounts;
import io.segmatch.access.control.Role;
import io.segmatch.shared.api.JsonBody;
import io.segmatch.shared.error.SegmatchException.FieldError;
import io.segmatch.shared.error.SegmatchException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import java.util.List;

import static io.segmatch.shared.api.JsonBody.text;

/** {@code /api/users}: accounts, for admins. */
@Path("users")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Names.ADMIN)
public class UsersResource {

    @Inject
    Accounts accounts;

    @GET
    public List<AccessViews.User> list() {
        return accounts.users().stream().map(AccessViews.User::of).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        JsonObject json = JsonBody.object(body);
        var user = accounts.createUser(text(json, "username"), text(json, "password"), text(json, "role"));
        return Response.created(UriBuilder.fromPath("users/{name}").build(user.username()))
                .entity(AccessViews.User.of(user)).build();
    }

    @GET
    @Path("{username}")
    public AccessViews.User get(@PathParam("username") String username) {
        return AccessViews.User.of(accounts.user(username));
    }

    @PATCH
    @Path("{username}")
    @Consumes(MediaType.APPLICATION_JSON)
    public AccessViews.User change(@PathParam("username") String username, String body) {
        JsonObject json = JsonBody.object(body);
        Boolean disabled = null;
        if (json.containsKey("disabled")) {
            JsonValue v = json.get("disabled");
            if (v != JsonValue.TRUE && v != JsonValue.FALSE) {
                throw SegmatchException.invalid("invalid-user", "disabled must be true or false",
                        List.of(FieldError.field("disabled", "true or false")));
            }
            disabled = v == JsonValue.TRUE;
        }
        return AccessViews.User.of(accounts.changeUser(username, text(json, "role"), disabled, text(json, "password")));
    }

    @DELETE
    @Path("{username}")
    public Response delete(@PathParam("username") String username) {
        accounts.deleteUser(username);
        return Response.noContent().build();
    }
}
