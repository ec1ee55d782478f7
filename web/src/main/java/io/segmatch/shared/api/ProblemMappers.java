package io.segmatch.shared.api;

import io.segmatch.shared.error.SegmatchException;
import jakarta.ejb.EJBException;
import jakarta.json.JsonException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.sql.SQLException;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Maps every exception that leaves a resource to a problem document: business problems
 * with their status, JAX-RS errors (unknown path, wrong method or media type) with theirs,
 * and anything unexpected to a 500 that names an incident id and leaks nothing else.
 */
public final class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class.getName());

    private ProblemMappers() {
    }

    static Response of(SegmatchException e) {
        Response problem = Problem.response(e.kind().status, e.type(), e.kind().title, e.getMessage(), e.errors());
        if (e.retryAfterSeconds() != null) {
            problem.getHeaders().putSingle("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        return problem;
    }

    @Provider
    public static class Business implements ExceptionMapper<SegmatchException> {
        @Override
        public Response toResponse(SegmatchException e) {
            return of(e);
        }
    }

    @Provider
    public static class Http implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status >= 500) {
                return Unexpected.incident(e);
            }
            Response.Status known = Response.Status.fromStatusCode(status);
            String title = known == null ? "HTTP " + status : known.getReasonPhrase();
            String detail = switch (status) {
                case 404 -> "no such resource";
                case 405 -> "this resource does not support that method";
                case 406 -> "this resource answers with JSON";
                case 415 -> "unsupported content type: send JSON as application/json, and CSV as text/csv"
                        + " (or multipart/form-data with a file part)";
                default -> e.getMessage();
            };
            Response response = Problem.response(status, "http-" + status, title, detail);
            e.getResponse().getHeaders().forEach((name, values) -> {
                if (name.equalsIgnoreCase("Allow")) {
                    response.getHeaders().put(name, values);
                }
            });
            return response;
        }
    }

    @Provider
    public static class Json implements ExceptionMapper<JsonException> {
        @Override
        public Response toResponse(JsonException e) {
            return Problem.response(400, "invalid-json", "Invalid request", "the body is not valid JSON: " + e.getMessage());
        }
    }

    @Provider
    public static class Ejb implements ExceptionMapper<EJBException> {
        @Override
        public Response toResponse(EJBException e) {
            Throwable cause = e.getCause();
            while (cause != null) {
                if (cause instanceof SegmatchException se) {
                    return of(se);
                }
                cause = cause.getCause();
            }
            return Unexpected.incident(e);
        }
    }

    /**
     * Whether a failure comes from losing the database: a connection refused, closed or cut
     * (SQLSTATE class 08), or the server shutting down or starting up (57P01–57P03).
     */
    static boolean databaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            if (t.getClass().getName().equals("jakarta.resource.spi.ResourceAllocationException")
                    || t.getClass().getName().endsWith("PoolingException")) {
                return true;
            }
        }
        return false;
    }

    @Provider
    public static class Unexpected implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            return incident(e);
        }

        static Response incident(Throwable e) {
            if (databaseUnavailable(e)) {
                // a write cut off this way was applied entirely or not at all
                LOG.log(Level.WARNING, "the database is unavailable: {0}", e.getMessage());
                Response response = Problem.response(503, "database-unavailable", "Service Unavailable",
                        "the database is unavailable (restarting?): try again shortly; a write cut off this way was applied"
                                + " entirely or not at all");
                response.getHeaders().putSingle("Retry-After", "5");
                return response;
            }
            String incident = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "incident " + incident, e);
            return Problem.response(500, "internal-error", "Internal Server Error",
                    "the server failed; the log names incident " + incident);
        }
    }
}
