package io.segmatch.access.api;

import io.segmatch.access.boundary.Caller;
import io.segmatch.access.web.SegmatchAuthentication;
import jakarta.servlet.http.HttpServletRequest;

/** The authenticated caller of a request, as the authentication mechanism found it. */
public final class Callers {

    private Callers() {
    }

    public static Caller of(HttpServletRequest request) {
        if (request.getAttribute(SegmatchAuthentication.CALLER) instanceof Caller caller) {
            return caller;
        }
        throw new IllegalStateException("no authenticated caller on " + request.getRequestURI());
    }
}
