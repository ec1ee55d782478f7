package io.segmatch.segments.api;

import io.segmatch.access.control.Role;
import io.segmatch.segments.boundary.Segments;
import io.segmatch.shared.api.QueryParams;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import static io.segmatch.shared.json.Jsons.JSON;

/** The segments API: definitions and the live preview (docs/segments.md). */
@ApplicationScoped
@Path("segments")
@Produces(MediaType.APPLICATION_JSON)
public class SegmentsResource {

    @Context
    SecurityContext security;

    @Inject
    Segments segments;

    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    public String list() {
        JsonArrayBuilder list = JSON.createArrayBuilder();
        segments.list().forEach(s -> list.add(SegmentJson.segment(s)));
        return list.build().toString();
    }

    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    public Response create(String body, @Context UriInfo uri) {
        var segment = segments.create(SegmentRequests.segment(body), security.isUserInRole(Role.Names.ADMIN));
        return Response.created(uri.getAbsolutePathBuilder().path(segment.getId()).build())
                .entity(SegmentJson.segment(segment).toString()).build();
    }

    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("{id}")
    public String get(@PathParam("id") String id) {
        return SegmentJson.segment(segments.get(id)).toString();
    }

    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @PUT
    @Path("{id}")
    public String update(@PathParam("id") String id, String body) {
        return SegmentJson.segment(segments.update(id, SegmentRequests.segment(body), security.isUserInRole(Role.Names.ADMIN))).toString();
    }

    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        segments.delete(id, security.isUserInRole(Role.Names.ADMIN));
        return Response.noContent().build();
    }

    /** {@code {members: [{key, since}], next}}: keyset paging by key; {@code prefix} narrows to keys starting with it. */
    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("{id}/members")
    public String members(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("100") String limit,
                          @QueryParam("after") String after, @QueryParam("prefix") String prefix) {
        int n = QueryParams.limit(limit, 1000);
        var page = segments.members(id, after, prefix, n);
        JsonArrayBuilder members = JSON.createArrayBuilder();
        page.stream().limit(n).forEach(m -> members.add(JSON.createObjectBuilder().add("key", m.key())
                .add("since", m.since().toString())));
        var body = JSON.createObjectBuilder().add("members", members);
        if (page.size() > n) {
            body.add("next", page.get(n - 1).key());
        } else {
            body.addNull("next");
        }
        return body.build().toString();
    }

    /** {@code {changes: [{id, key, change, at, runId}], next}}: the enter/exit log, oldest first, paged by id. */
    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("{id}/changes")
    public String changes(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("100") String limit,
                          @QueryParam("after") String after) {
        int n = QueryParams.limit(limit, 1000);
        var page = segments.changes(id, QueryParams.after(after), n, false);
        JsonArrayBuilder changes = JSON.createArrayBuilder();
        page.stream().limit(n).forEach(ch -> changes.add(JSON.createObjectBuilder().add("id", ch.id()).add("key", ch.key())
                .add("change", ch.change()).add("at", ch.at().toString()).add("runId", ch.runId())));
        var body = JSON.createObjectBuilder().add("changes", changes);
        if (page.size() > n) {
            body.add("next", page.get(n - 1).id());
        } else {
            body.addNull("next");
        }
        return body.build().toString();
    }

    /** {@code [{runId, at, entered, exited, memberCount}]}: the count after each of the newest runs that changed it, oldest first. */
    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("{id}/history")
    public String history(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("200") String limit) {
        JsonArrayBuilder points = JSON.createArrayBuilder();
        segments.history(id, QueryParams.limit(limit, 1000)).forEach(p -> points.add(JSON.createObjectBuilder()
                .add("runId", p.runId()).add("at", p.at().toString()).add("entered", p.entered()).add("exited", p.exited())
                .add("memberCount", p.memberCount())));
        return points.build().toString();
    }

    /** The same history drawn as a picture (SVG): the count as a line, enters and exits per run as bars. */
    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("{id}/history.svg")
    @Produces("image/svg+xml")
    public Response historyChart(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("200") String limit) {
        return Response.ok(MemberChart.svg(segments.history(id, QueryParams.limit(limit, 1000))))
                .header("Cache-Control", "no-cache").build();
    }

    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Path("preview")
    public String preview(String body) {
        return SegmentJson.preview(segments.preview(SegmentRequests.preview(body))).toString();
    }
}
