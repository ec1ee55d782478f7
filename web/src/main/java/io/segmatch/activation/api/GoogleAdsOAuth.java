package io.segmatch.activation.api;

import io.segmatch.access.control.Role;
import io.segmatch.activation.boundary.Activation;
import io.segmatch.activation.google.AccessTokens;
import io.segmatch.activation.google.GoogleException;
import io.segmatch.activation.google.GoogleSettings;
import io.segmatch.activation.store.GoogleAdsConnection;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.HttpConstraint;
import jakarta.servlet.annotation.ServletSecurity;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

/**
 * The console's "Connect Google Ads": {@code /oauth/google-ads/start} sends the browser to
 * Google's consent page (offline access, both scopes, a random {@code state});
 * {@code /oauth/google-ads/callback} checks the state, exchanges the code, stores the refresh
 * token encrypted and returns to the console's Google Ads page with the outcome. Tokens never
 * appear in a redirect, a page or a log line.
 */
@WebServlet(urlPatterns = {"/oauth/google-ads/start", "/oauth/google-ads/callback"})
@ServletSecurity(@HttpConstraint(rolesAllowed = Role.Names.ADMIN))
public class GoogleAdsOAuth extends HttpServlet {

    /** Session attribute: the OAuth state this session's connect flow was given. */
    static final String SESSION_STATE = "segmatch.oauth.state";
    static final String SCOPES = "https://www.googleapis.com/auth/adwords https://www.googleapis.com/auth/datamanager";
    private static final Logger LOG = Logger.getLogger(GoogleAdsOAuth.class.getName());

    @Inject
    Activation activation;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        GoogleSettings settings = GoogleSettings.fromConfig();
        if (request.getServletPath().endsWith("/start")) {
            if (!GoogleAdsConnection.keyConfigured()) {
                back(request, response, "error", GoogleAdsConnection.NO_KEY);
                return;
            }
            if (settings.clientId() == null || settings.clientSecret() == null) {
                back(request, response, "error", "set segmatch.googleads.oauth.client-id and client-secret first");
                return;
            }
            // the state is bound to this admin's session: an answer arriving in another browser is refused
            String state = activation.newState();
            request.getSession().setAttribute(SESSION_STATE, state);
            String url = settings.authUrl() + "?client_id=" + enc(settings.clientId())
                    + "&redirect_uri=" + enc(redirectUri(request))
                    + "&response_type=code&scope=" + enc(SCOPES)
                    + "&access_type=offline&prompt=consent&include_granted_scopes=true"
                    + "&state=" + enc(state);
            response.sendRedirect(url);
            return;
        }
        String state = request.getParameter("state");
        var session = request.getSession(false);
        Object started = session == null ? null : session.getAttribute(SESSION_STATE);
        if (state != null && state.equals(started)) {
            session.removeAttribute(SESSION_STATE);
        }
        if (state == null || !state.equals(started) || !activation.consumeState(state)) {
            back(request, response, "error", "the answer from Google did not match a connection started in this browser session "
                    + "(or came after ten minutes); connect again");
            return;
        }
        if (request.getParameter("error") != null) {
            back(request, response, "error", "Google did not grant access (" + request.getParameter("error") + ")");
            return;
        }
        String code = request.getParameter("code");
        if (code == null || code.isBlank()) {
            back(request, response, "error", "Google's answer held no authorization code; connect again");
            return;
        }
        try {
            activation.connect(AccessTokens.exchangeCode(settings, code, redirectUri(request)));
            LOG.info("Google Ads connected");
            back(request, response, "connected", "true");
        } catch (GoogleException e) {
            back(request, response, "error", e.getMessage());
        } catch (RuntimeException e) {
            // storing failed (no secret key, the database gone): the console says so instead of an error page
            LOG.warning("the Google Ads connection could not be stored: " + e.getClass().getSimpleName());
            back(request, response, "error", GoogleAdsConnection.keyConfigured()
                    ? "the connection could not be stored (see the server's log); connect again" : GoogleAdsConnection.NO_KEY);
        }
    }

    static String redirectUri(HttpServletRequest request) {
        String configured = ConfigProvider.getConfig()
                .getOptionalValue("segmatch.googleads.oauth.redirect-uri", String.class).orElse(null);
        if (configured != null) {
            return configured;
        }
        String base = request.getRequestURL().toString();
        return base.substring(0, base.length() - request.getServletPath().length()) + "/oauth/google-ads/callback";
    }

    private static void back(HttpServletRequest request, HttpServletResponse response, String key, String value)
            throws IOException {
        response.sendRedirect(request.getContextPath() + "/google-ads.xhtml?" + key + "=" + enc(value));
    }

    private static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }
}
