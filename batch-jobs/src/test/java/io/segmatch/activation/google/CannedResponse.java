package io.segmatch.activation.google;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Link;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.lang.annotation.Annotation;
import java.net.URI;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An answer as a REST client hands it over, with a status and a body: what the retry policy
 * reads (no JAX-RS implementation needed). Anything else it might read fails the test.
 */
public final class CannedResponse extends Response {

    private final int status;
    private final String body;
    private final Map<String, String> headers;
    boolean closed;

    public CannedResponse(int status, String body) {
        this(status, body, Map.of());
    }

    /** With response headers (names in lower case). */
    public CannedResponse(int status, String body, Map<String, String> headers) {
        this.status = status;
        this.body = body;
        this.headers = headers;
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public boolean hasEntity() {
        return body != null;
    }

    @Override
    public <T> T readEntity(Class<T> type) {
        return type.cast(body);
    }

    @Override
    public String getHeaderString(String name) {
        String value = headers.get(name.toLowerCase(Locale.ROOT));
        return value != null ? value : name.equalsIgnoreCase("request-id") ? "req-" + status : null;
    }

    @Override
    public void close() {
        closed = true;
    }

    private static UnsupportedOperationException unread() {
        return new UnsupportedOperationException("the retry policy does not read this");
    }

    @Override
    public StatusType getStatusInfo() {
        throw unread();
    }

    @Override
    public Object getEntity() {
        throw unread();
    }

    @Override
    public <T> T readEntity(GenericType<T> type) {
        throw unread();
    }

    @Override
    public <T> T readEntity(Class<T> type, Annotation[] annotations) {
        throw unread();
    }

    @Override
    public <T> T readEntity(GenericType<T> type, Annotation[] annotations) {
        throw unread();
    }

    @Override
    public boolean bufferEntity() {
        throw unread();
    }

    @Override
    public MediaType getMediaType() {
        throw unread();
    }

    @Override
    public Locale getLanguage() {
        throw unread();
    }

    @Override
    public int getLength() {
        throw unread();
    }

    @Override
    public Set<String> getAllowedMethods() {
        throw unread();
    }

    @Override
    public Map<String, NewCookie> getCookies() {
        throw unread();
    }

    @Override
    public EntityTag getEntityTag() {
        throw unread();
    }

    @Override
    public Date getDate() {
        throw unread();
    }

    @Override
    public Date getLastModified() {
        throw unread();
    }

    @Override
    public URI getLocation() {
        throw unread();
    }

    @Override
    public Set<Link> getLinks() {
        throw unread();
    }

    @Override
    public boolean hasLink(String relation) {
        throw unread();
    }

    @Override
    public Link getLink(String relation) {
        throw unread();
    }

    @Override
    public Link.Builder getLinkBuilder(String relation) {
        throw unread();
    }

    @Override
    public MultivaluedMap<String, Object> getMetadata() {
        throw unread();
    }

    @Override
    public MultivaluedMap<String, String> getStringHeaders() {
        throw unread();
    }
}
