package io.segmatch.datasets.api;

import io.segmatch.access.control.Role;
import io.segmatch.datasets.boundary.Datasets.UploadParams;
import io.segmatch.datasets.boundary.Datasets;
import io.segmatch.datasets.control.SpooledUpload;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.datasets.entity.Upload;
import io.segmatch.shared.api.QueryParams;
import io.segmatch.shared.error.SegmatchException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityPart;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** The datasets API: uploads, dataset metadata and rows (docs/datasets.md). */
@Path("datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetsResource {

    @Inject
    Datasets datasets;

    @Inject
    @ConfigProperty(name = "segmatch.upload.max-bytes", defaultValue = "4294967296")
    long maxBytes;

    @Context
    UriInfo uri;

    @Context
    SecurityContext security;

    /** Whether the caller may see personal data (row values, rejected lines): editors and admins. */
    private boolean personal() {
        return security.isUserInRole(Role.Names.EDITOR);
    }

    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    public List<DatasetViews.DatasetView> list() {
        return datasets.list().stream().map(DatasetViews.DatasetView::of).toList();
    }

    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @Consumes({"text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @POST
        public Response create(@QueryParam("name") String name, @QueryParam("key") String key,
                           @QueryParam("mode") String mode, @QueryParam("encoding") String encoding,
                           @QueryParam("delimiter") String delimiter, InputStream body) throws IOException {
        try (SpooledUpload file = spool(body)) {
            return created(datasets.create(file, new UploadParams(name, key, mode, encoding, delimiter, null)));
        }
    }

    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response createMultipart(@QueryParam("name") String name, @QueryParam("key") String key,
                                    @QueryParam("mode") String mode, @QueryParam("encoding") String encoding,
                                    @QueryParam("delimiter") String delimiter, List<EntityPart> parts) throws IOException {
        Multipart form = Multipart.read(parts, maxBytes);
        try (SpooledUpload file = form.file()) {
            var params = new UploadParams(form.text("name", name), form.text("key", key), form.text("mode", mode),
                    form.text("encoding", encoding), form.text("delimiter", delimiter), form.fileName());
            return created(datasets.create(file, params));
        }
    }

    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("{id}")
    public DatasetViews.Details get(@PathParam("id") String id) {
        Dataset dataset = datasets.get(id);
        return DatasetViews.Details.of(dataset, datasets.uploads(id, 20), personal());
    }

    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @PATCH
    @Path("{id}")
    public DatasetViews.Details patch(@PathParam("id") String id, String body) {
        datasets.patch(id, JsonBodies.datasetPatch(body));
        return get(id);
    }

    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        datasets.delete(id);
        return Response.noContent().build();
    }

    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @Consumes({"text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @POST
    @Path("{id}/uploads")
    public DatasetViews.UploadSummary upload(@PathParam("id") String id, @QueryParam("mode") String mode,
                                             @QueryParam("key") String key, @QueryParam("encoding") String encoding,
                                             @QueryParam("delimiter") String delimiter, InputStream body)
            throws IOException {
        datasets.get(id);
        try (SpooledUpload file = spool(body)) {
            return DatasetViews.UploadSummary.of(datasets.upload(id, file,
                    new UploadParams(null, key, mode, encoding, delimiter, null)));
        }
    }

    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @POST
    @Path("{id}/uploads")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public DatasetViews.UploadSummary uploadMultipart(@PathParam("id") String id, @QueryParam("mode") String mode,
                                  @QueryParam("key") String key, @QueryParam("encoding") String encoding,
                                  @QueryParam("delimiter") String delimiter, List<EntityPart> parts) throws IOException {
        datasets.get(id);
        Multipart form = Multipart.read(parts, maxBytes);
        try (SpooledUpload file = form.file()) {
            var params = new UploadParams(null, form.text("key", key), form.text("mode", mode),
                    form.text("encoding", encoding), form.text("delimiter", delimiter), form.fileName());
            return DatasetViews.UploadSummary.of(datasets.upload(id, file, params));
        }
    }

    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("{id}/uploads")
    public List<DatasetViews.UploadSummary> uploads(@PathParam("id") String id,
                                                    @QueryParam("limit") @DefaultValue("20") String limit) {
        return datasets.uploads(id, QueryParams.limit(limit, 100)).stream()
                .map(u -> DatasetViews.UploadSummary.of(u, personal())).toList();
    }

    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("{id}/uploads/{uploadId}")
    public DatasetViews.UploadSummary upload(@PathParam("id") String id, @PathParam("uploadId") String uploadId) {
        return DatasetViews.UploadSummary.of(datasets.upload(id, uploadId), personal());
    }

    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("{id}/rows")
    public DatasetViews.RowsPage rows(@PathParam("id") String id, @QueryParam("after") String after,
                       @QueryParam("limit") @DefaultValue("100") String limit) {
        int n = QueryParams.limit(limit, 1000);
        return DatasetViews.RowsPage.of(datasets.rows(id, after, n), datasets.get(id), n);
    }

    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("{id}/rows/{key}")
    public DatasetViews.Row row(@PathParam("id") String id, @PathParam("key") String key) {
        return DatasetViews.Row.of(datasets.row(id, key), datasets.get(id));
    }

    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @PATCH
    @Path("{id}/rows/{key}")
    public DatasetViews.Row patchRow(@PathParam("id") String id, @PathParam("key") String key, String body) {
        var row = datasets.patchRow(id, key, JsonBodies.rowValues(body));
        return DatasetViews.Row.of(row, datasets.get(id));
    }

    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @PUT
    @Path("{id}/rows/{key}")
    public Response putRow(@PathParam("id") String id, @PathParam("key") String key, String body) {
        var result = datasets.putRow(id, key, JsonBodies.rowValues(body));
        var status = result.created() ? Response.Status.CREATED : Response.Status.OK;
        var response = Response.status(status).entity(DatasetViews.Row.of(result.row(), datasets.get(id)));
        if (result.created()) {
            response.location(uri.getAbsolutePath());
        }
        return response.build();
    }

    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @DELETE
    @Path("{id}/rows/{key}")
    public Response deleteRow(@PathParam("id") String id, @PathParam("key") String key) {
        datasets.deleteRow(id, key);
        return Response.noContent().build();
    }

    private Response created(Upload upload) {
        var location = UriBuilder.fromUri(uri.getBaseUri()).path("datasets").path(upload.getDatasetId()).build();
        return Response.created(location).entity(DatasetViews.UploadSummary.of(upload)).build();
    }

    private SpooledUpload spool(InputStream body) throws IOException {
        try {
            return SpooledUpload.spool(body, maxBytes);
        } catch (SpooledUpload.UploadTooLargeException e) {
            throw new SegmatchException(SegmatchException.Kind.TOO_LARGE, "upload-too-large", e.getMessage(), List.of());
        }
    }

    /** A {@code limit} parameter: an integer from 1 to {@code max}, else a 400 naming it. */
}
