package io.segmatch.shared.error;

import jakarta.ejb.ApplicationException;

import java.time.Duration;
import java.util.List;

/**
 * A business error that becomes an RFC 9457 problem document. Thrown from a boundary it
 * rolls the transaction back and reaches the caller unwrapped.
 */
@ApplicationException(rollback = true, inherited = true)
public class SegmatchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The HTTP status class of the problem. */
    public enum Kind {
        INVALID(400, "Invalid request"),
        UNAUTHORIZED(401, "Not authenticated"),
        FORBIDDEN(403, "Forbidden"),
        NOT_FOUND(404, "Not found"),
        CONFLICT(409, "Conflict"),
        TOO_LARGE(413, "Upload too large"),
        TOO_MANY(429, "Too many requests"),
        BUSY(503, "Service unavailable");

        public final int status;
        public final String title;

        Kind(int status, String title) {
            this.status = status;
            this.title = title;
        }
    }

    /** One problem with one field or line of the request. */
    public record FieldError(String field, Long line, String message) {
        public static FieldError field(String field, String message) {
            return new FieldError(field, null, message);
        }

        public static FieldError line(long line, String message) {
            return new FieldError(null, line, message);
        }
    }

    private final Kind kind;
    private final String type;
    private final List<FieldError> errors;
    private final Long retryAfterSeconds;

    public SegmatchException(Kind kind, String type, String detail, List<FieldError> errors) {
        this(kind, type, detail, errors, null);
    }

    private SegmatchException(Kind kind, String type, String detail, List<FieldError> errors, Long retryAfterSeconds) {
        super(detail);
        this.kind = kind;
        this.type = type;
        this.errors = List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A refusal for now (429 or 503) that says when to try again ({@code Retry-After}, at least a second). */
    public static SegmatchException later(Kind kind, String type, String detail, Duration retryAfter) {
        return new SegmatchException(kind, type, detail, List.of(), Math.max(1, retryAfter.toSeconds() + 1));
    }

    public static SegmatchException invalid(String type, String detail) {
        return new SegmatchException(Kind.INVALID, type, detail, List.of());
    }

    public static SegmatchException invalid(String type, String detail, List<FieldError> errors) {
        return new SegmatchException(Kind.INVALID, type, detail, errors);
    }

    public static SegmatchException notFound(String type, String detail) {
        return new SegmatchException(Kind.NOT_FOUND, type, detail, List.of());
    }

    public static SegmatchException forbidden(String type, String detail) {
        return new SegmatchException(Kind.FORBIDDEN, type, detail, List.of());
    }

    public static SegmatchException conflict(String type, String detail) {
        return new SegmatchException(Kind.CONFLICT, type, detail, List.of());
    }

    /**
     * Refuses text that PostgreSQL cannot store (a NUL character) with a 400 naming the
     * field; returns the text.
     */
    public static String storable(String field, String text) {
        if (text != null && text.indexOf('\0') >= 0) {
            throw invalid("invalid-text", field + " contains a NUL character",
                    List.of(FieldError.field(field, "contains a NUL character")));
        }
        return text;
    }

    public Kind kind() {
        return kind;
    }

    /** A short slug naming the problem type, such as {@code invalid-csv}. */
    public String type() {
        return type;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** Seconds to wait before trying again, or null when the answer does not say. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
