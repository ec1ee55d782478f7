package io.segmatch.access.web;

import io.segmatch.access.boundary.Caller;
import io.segmatch.access.boundary.LoginResult;
import io.segmatch.access.boundary.Logins;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;

/**
 * The application's one authentication mechanism (Jakarta Security allows one per application):
 * the console's form login (the login page calls {@code SecurityContext.authenticate}) kept in
 * the HTTP session, and for the API a bearer token or HTTP Basic. A request without valid
 * credentials to anything but the public paths gets 401 (API, metrics) or the login page
 * (console). Each role is also a group, and a caller is in its role's group and every lower one.
 */
@ApplicationScoped
public class SegmatchAuthentication implements HttpAuthenticationMechanism {

    /** Session attribute: the logged-in username. */
    public static final String SESSION_USER = "segmatch.user";
    /** Session attribute: when the session's login (or its user's own password change) happened. */
    public static final String SESSION_SINCE = "segmatch.since";
    /** Request attribute: how the caller authenticated ({@link Via}). */
    public static final String VIA = "segmatch.auth.via";
    /** Request attribute: the authenticated {@link Caller}. */
    public static final String CALLER = "segmatch.auth.caller";
    /** Request attribute: the {@link LoginResult} of a form login. */
    public static final String LOGIN_RESULT = "segmatch.auth.login";

    /** How a request authenticated. */
    public enum Via { FORM, SESSION, TOKEN, BASIC }

    @Inject
    Logins logins;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        if (context.isAuthenticationRequest()
                && context.getAuthParameters().getCredential() instanceof UsernamePasswordCredential form) {
            return formLogin(request, response, context, form);
        }
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            return header(request, response, context, authorization);
        }
        if (!context.isProtected() && PublicPaths.isPublic(request)) {
            // styles, scripts, health and the login page: no user needed, none looked up
            return context.doNothing();
        }
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(SESSION_USER) instanceof String username
                && session.getAttribute(SESSION_SINCE) instanceof Instant since) {
            Optional<Caller> caller = logins.current(username, since);
            if (caller.isPresent()) {
                return accept(request, context, caller.get(), Via.SESSION);
            }
            session.invalidate();
        }
        return challenge(request, response, "authentication required");
    }

    private AuthenticationStatus formLogin(HttpServletRequest request, HttpServletResponse response,
                                           HttpMessageContext context, UsernamePasswordCredential form) {
        LoginResult result = logins.login(form.getCaller(), form.getPasswordAsString(), "form");
        request.setAttribute(LOGIN_RESULT, result);
        if (!(result instanceof LoginResult.Accepted accepted)) {
            return context.doNothing();
        }
        Caller caller = accepted.caller();
        HttpSession old = request.getSession(false);
        if (old != null) {
            old.invalidate();
        }
        HttpSession session = request.getSession(true);
        session.setAttribute(SESSION_USER, caller.username());
        session.setAttribute(SESSION_SINCE, Instant.now());
        session.setMaxInactiveInterval((int) idleTimeout().toSeconds());
        SessionCookie.reissue(request, response, session);
        return accept(request, context, caller, Via.FORM);
    }

    private AuthenticationStatus header(HttpServletRequest request, HttpServletResponse response,
                                        HttpMessageContext context, String authorization) {
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        String value = space < 0 ? "" : authorization.substring(space + 1).strip();
        if (scheme.equalsIgnoreCase("Bearer")) {
            Optional<Caller> caller = logins.bearer(value);
            return caller.isPresent() ? accept(request, context, caller.get(), Via.TOKEN)
                    : challenge(request, response, "the token is unknown, expired or revoked, or its owner is disabled");
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return challenge(request, response, "malformed Basic credentials");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return challenge(request, response, "malformed Basic credentials");
            }
            LoginResult result = logins.login(decoded.substring(0, colon), decoded.substring(colon + 1), "basic");
            if (result instanceof LoginResult.Accepted accepted) {
                if (accepted.caller().mustChangePassword()
                        && !("PATCH".equals(request.getMethod()) && PublicPaths.path(request).equals("/api/me"))) {
                    // a generated first password opens nothing but its own change
                    return forbidden(request, response, "change the generated password first (PATCH /api/me or the console)");
                }
                return accept(request, context, accepted.caller(), Via.BASIC);
            }
            if (result instanceof LoginResult.Locked locked) {
                return Challenges.locked(request, response, locked.until());
            }
            if (result instanceof LoginResult.Busy) {
                return Challenges.busy(request, response);
            }
            return challenge(request, response, "wrong username or password");
        }
        return challenge(request, response, "unsupported authorization scheme (use Bearer or Basic)");
    }

    private static AuthenticationStatus accept(HttpServletRequest request, HttpMessageContext context, Caller caller,
                                               Via via) {
        request.setAttribute(VIA, via);
        request.setAttribute(CALLER, caller);
        return context.notifyContainerAboutLogin(caller.username(), new HashSet<>(caller.role().groups()));
    }

    private static AuthenticationStatus challenge(HttpServletRequest request, HttpServletResponse response, String why) {
        try {
            if (PublicPaths.isApi(request) || request.getHeader("Authorization") != null) {
                Challenges.unauthorized(request, response, why);
            } else {
                String target = request.getRequestURI().substring(request.getContextPath().length());
                if (request.getQueryString() != null) {
                    target += "?" + request.getQueryString();
                }
                String login = request.getContextPath() + "/login.xhtml"
                        + (target.isEmpty() || target.equals("/") ? "" : "?next=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
                Challenges.redirect(request, response, login);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return AuthenticationStatus.SEND_CONTINUE;
    }

    /**
     * After the session's own user changed their password: this session goes on (every other
     * session of the user ends at its next request).
     */
    public static void keepSessionAfterOwnPasswordChange(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(SESSION_USER) != null) {
            session.setAttribute(SESSION_SINCE, Instant.now());
        }
    }

    private static AuthenticationStatus forbidden(HttpServletRequest request, HttpServletResponse response, String why) {
        try {
            Challenges.problem(request, response, 403, "password-change-required", "Forbidden", why);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return AuthenticationStatus.SEND_CONTINUE;
    }

    /** {@code segmatch.session.idle-timeout}, PT30M unless configured. */
    static Duration idleTimeout() {
        return ConfigProvider.getConfig().getOptionalValue("segmatch.session.idle-timeout", String.class)
                .map(Duration::parse).orElse(Duration.ofMinutes(30));
    }

    /** Seconds until an instant, at least one (for {@code Retry-After}). */
    static long secondsUntil(Instant until) {
        return Math.max(1, Duration.between(Instant.now(), until).toSeconds() + 1);
    }
}
