package io.segmatch.access.api;

import io.segmatch.shared.api.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Bodies over 1 MiB get 413: refused on their {@code Content-Length}, or after reading one byte
 * past the limit when the length is not given; never read whole. Only uploads (CSV as
 * {@code text/csv}, {@code text/plain} or {@code application/octet-stream}, and multipart forms)
 * stream past it, to their own limit ({@code segmatch.upload.max-bytes}); any other body — JSON
 * under whatever name or case, or a body without a type — is held to 1 MiB.
 */
@Provider
@PreMatching
public class JsonBodyLimit implements ContainerRequestFilter {

    public static final int MAX_BYTES = 1024 * 1024;

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        MediaType type = request.getMediaType();
        if (type != null && isUpload(type)) {
            return;
        }
        if (request.getLength() > MAX_BYTES) {
            request.abortWith(tooLarge());
            return;
        }
        InputStream in = request.getEntityStream();
        byte[] body = in.readNBytes(MAX_BYTES + 1);
        if (body.length > MAX_BYTES) {
            request.abortWith(tooLarge());
            return;
        }
        request.setEntityStream(new ByteArrayInputStream(body));
    }

    static boolean isUpload(MediaType type) {
        String t = type.getType().toLowerCase(Locale.ROOT);
        String sub = type.getSubtype().toLowerCase(Locale.ROOT);
        return t.equals("multipart") || (t.equals("text") && (sub.equals("csv") || sub.equals("plain")))
                || (t.equals("application") && sub.equals("octet-stream"));
    }

    private static Response tooLarge() {
        return Problem.response(413, "body-too-large", "Content too large",
                "a request body other than an upload may hold at most 1 MiB (" + MAX_BYTES + " bytes)");
    }
}
