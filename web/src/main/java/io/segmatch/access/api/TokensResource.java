package io.segmatch.access.api;

import io.segmatch.access.boundary.Accounts;
import io.segmatch.access.boundary.Caller;
import io.segmatch.access.control.Role;
import io.segmatch.access.store.ApiTokens;
import io.segmatch.access.web.SegmatchAuthentication;
import io.segmatch.shared.api.JsonBody;
import io.segmatch.shared.error.SegmatchException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import java.util.List;

import static io.segmatch.shared.api.JsonBody.text;

/** {@code /api/tokens}: personal access tokens; everyone manages their own, an admin every one. */
@Path("tokens")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
public class TokensResource {

    @Inject
    Accounts accounts;

    @Context
    HttpServletRequest request;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        if (request.getAttribute(SegmatchAuthentication.VIA)
                == SegmatchAuthentication.Via.TOKEN) {
            // a token must not beget tokens that outlive its expiry or its revocation
            throw SegmatchException.forbidden("token-from-token",
                    "create tokens with your password (HTTP Basic) or in the console, not with another token");
        }
        JsonObject json = JsonBody.object(body);
        Accounts.CreatedToken created = accounts.createToken(Callers.of(request), text(json, "name"), text(json, "role"),
                text(json, "expiresAt"));
        return Response.created(UriBuilder.fromPath("tokens/{id}").build(created.token().id()))
                .entity(AccessViews.NewToken.of(created.token(), created.text())).build();
    }

    @GET
    public List<AccessViews.Token> list() {
        return visible(Callers.of(request)).stream().map(AccessViews.Token::of).toList();
    }

    /** An admin sees every token, anyone else their own. */
    private List<ApiTokens.Token> visible(Caller caller) {
        return accounts.tokens(caller.role() == Role.ADMIN ? null : caller.username());
    }

    /** One token (without its secret): the caller's own, or any for an admin. */
    @GET
    @Path("{id}")
    public AccessViews.Token get(@PathParam("id") String id) {
        return visible(Callers.of(request)).stream().filter(t -> t.id().equals(id)).findFirst()
                .map(AccessViews.Token::of)
                .orElseThrow(() -> SegmatchException.notFound("token-not-found", "no token " + id));
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") String id) {
        accounts.revokeToken(Callers.of(request), id);
        return Response.noContent().build();
    }
}
