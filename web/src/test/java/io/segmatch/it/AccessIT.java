package io.segmatch.it;

import io.segmatch.shared.api.ApplicationClasses;
import io.segmatch.testing.TestDatabase;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.segmatch.it.ProcessingIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may do what, on the deployed WAR: every API endpoint, the event stream, metrics, the API
 * description, the OAuth endpoints and every console page, as anonymous, viewer, editor and admin
 * (the table below; an endpoint or page without a row fails {@link #everyEndpointAndPageHasARule}),
 * then CSRF, the lockout, tokens, the last admin, the body limits and the headers.
 */
class AccessIT extends DeployedWar {

    static final String NONE = "00000000-0000-0000-0000-000000000000";
    static final List<String> ROLES = List.of("viewer", "editor", "admin");

    /** One request and the lowest role that may make it ({@code public}: anyone, even anonymous). */
    record Rule(String key, String method, String path, String contentType, String body, String least) {
    }

    static Rule api(String method, String template, String consumes, String path, String contentType, String body,
                    String least) {
        return new Rule(method + " " + template + (consumes == null ? "" : " " + consumes), method, path, contentType, body,
                least);
    }

    /** The API, by resource method: key = method, path template and (where two share them) what it consumes. */
    static final List<Rule> API = List.of(
            api("GET", "/api/datasets", null, "api/datasets", null, null, "viewer"),
            api("POST", "/api/datasets", "text/csv", "api/datasets?name=x", "text/csv", "", "editor"),
            api("POST", "/api/datasets", "multipart/form-data", "api/datasets", "multipart/form-data; boundary=b", "--b--\r\n", "editor"),
            api("GET", "/api/datasets/{id}", null, "api/datasets/" + NONE, null, null, "viewer"),
            api("PATCH", "/api/datasets/{id}", null, "api/datasets/" + NONE, "application/json", "{}", "editor"),
            api("DELETE", "/api/datasets/{id}", null, "api/datasets/" + NONE, null, null, "editor"),
            api("POST", "/api/datasets/{id}/uploads", "text/csv", "api/datasets/" + NONE + "/uploads", "text/csv", "a\n1\n", "editor"),
            api("POST", "/api/datasets/{id}/uploads", "multipart/form-data", "api/datasets/" + NONE + "/uploads",
                    "multipart/form-data; boundary=b", "--b--\r\n", "editor"),
            api("GET", "/api/datasets/{id}/uploads", null, "api/datasets/" + NONE + "/uploads", null, null, "viewer"),
            api("GET", "/api/datasets/{id}/uploads/{uploadId}", null, "api/datasets/" + NONE + "/uploads/" + NONE, null, null, "viewer"),
            api("GET", "/api/datasets/{id}/rows", null, "api/datasets/" + NONE + "/rows", null, null, "editor"),
            api("GET", "/api/datasets/{id}/rows/{key}", null, "api/datasets/" + NONE + "/rows/k", null, null, "editor"),
            api("PATCH", "/api/datasets/{id}/rows/{key}", null, "api/datasets/" + NONE + "/rows/k", "application/json", "{}", "editor"),
            api("PUT", "/api/datasets/{id}/rows/{key}", null, "api/datasets/" + NONE + "/rows/k", "application/json", "{}", "editor"),
            api("DELETE", "/api/datasets/{id}/rows/{key}", null, "api/datasets/" + NONE + "/rows/k", null, null, "editor"),
            api("GET", "/api/segments", null, "api/segments", null, null, "viewer"),
            api("POST", "/api/segments", null, "api/segments", "application/json", "{}", "editor"),
            api("GET", "/api/segments/{id}", null, "api/segments/" + NONE, null, null, "viewer"),
            api("PUT", "/api/segments/{id}", null, "api/segments/" + NONE, "application/json", "{}", "editor"),
            api("DELETE", "/api/segments/{id}", null, "api/segments/" + NONE, null, null, "editor"),
            api("GET", "/api/segments/{id}/members", null, "api/segments/" + NONE + "/members", null, null, "editor"),
            api("GET", "/api/segments/{id}/changes", null, "api/segments/" + NONE + "/changes", null, null, "editor"),
            api("GET", "/api/segments/{id}/history", null, "api/segments/" + NONE + "/history", null, null, "viewer"),
            api("GET", "/api/segments/{id}/history.svg", null, "api/segments/" + NONE + "/history.svg", null, null, "viewer"),
            api("POST", "/api/segments/preview", null, "api/segments/preview", "application/json", "{}", "editor"),
            api("GET", "/api/processing", null, "api/processing", null, null, "viewer"),
            api("POST", "/api/processing/runs", null, "api/processing/runs", "application/json", "{}", "editor"),
            api("GET", "/api/processing/runs", null, "api/processing/runs", null, null, "viewer"),
            api("GET", "/api/processing/runs/{id}", null, "api/processing/runs/999999", null, null, "viewer"),
            api("GET", "/api/activation/google-ads", null, "api/activation/google-ads", null, null, "viewer"),
            api("DELETE", "/api/activation/google-ads", null, "api/activation/google-ads", null, null, "admin"),
            api("GET", "/api/activation/meta", null, "api/activation/meta", null, null, "viewer"),
            api("PUT", "/api/activation/meta", null, "api/activation/meta", "application/json", "{}", "admin"),
            api("DELETE", "/api/activation/meta", null, "api/activation/meta", null, null, "admin"),
            api("POST", "/api/activation/runs", null, "api/activation/runs", "application/json", "{}", "admin"),
            api("GET", "/api/activation/runs", null, "api/activation/runs", null, null, "viewer"),
            api("GET", "/api/me", null, "api/me", null, null, "viewer"),
            api("PATCH", "/api/me", null, "api/me", "application/json", "{}", "viewer"),
            api("GET", "/api/users", null, "api/users", null, null, "admin"),
            api("POST", "/api/users", null, "api/users", "application/json", "{}", "admin"),
            api("GET", "/api/users/{username}", null, "api/users/nobody-here", null, null, "admin"),
            api("PATCH", "/api/users/{username}", null, "api/users/nobody-here", "application/json", "{}", "admin"),
            api("DELETE", "/api/users/{username}", null, "api/users/nobody-here", null, null, "admin"),
            api("POST", "/api/tokens", null, "api/tokens", "application/json", "{}", "viewer"),
            api("GET", "/api/tokens", null, "api/tokens", null, null, "viewer"),
            api("GET", "/api/tokens/{id}", null, "api/tokens/" + NONE, null, null, "viewer"),
            api("DELETE", "/api/tokens/{id}", null, "api/tokens/" + NONE, null, null, "viewer"),
            api("GET", "/api/audit", null, "api/audit", null, null, "admin"),
            api("POST", "/api/erasures", null, "api/erasures", "application/json", "{}", "admin"),
            api("GET", "/api/erasures", null, "api/erasures", null, null, "admin"),
            api("GET", "/api/erasures/{id}", null, "api/erasures/999999", null, null, "admin"),
            api("GET", "/api/history/retention", null, "api/history/retention", null, null, "admin"),
            api("POST", "/api/history/purges", null, "api/history/purges", null, null, "admin"));

    /** Servlets and the server's endpoints inside the application. */
    static final List<Rule> OTHER = List.of(
            new Rule("metrics", "GET", "/metrics?scope=application", null, null, "viewer"),
            new Rule("openapi", "GET", "/openapi", null, null, "viewer"),
            new Rule("oauth start", "GET", "oauth/google-ads/start", null, null, "admin"),
            new Rule("oauth callback", "GET", "oauth/google-ads/callback?state=x&code=y", null, null, "admin"),
            new Rule("health ready", "GET", "/health/ready", null, null, "public"),
            new Rule("health live", "GET", "/health/live", null, null, "public"));

    /** Every console page (each file under src/main/webapp outside WEB-INF). */
    static final Map<String, String> PAGES = Map.ofEntries(
            Map.entry("index.xhtml", "viewer"),
            Map.entry("api-docs.xhtml", "viewer"),
            Map.entry("account.xhtml", "viewer"),
            Map.entry("datasets/index.xhtml", "viewer"),
            Map.entry("datasets/view.xhtml", "viewer"),
            Map.entry("datasets/upload.xhtml", "editor"),
            Map.entry("segments/index.xhtml", "viewer"),
            Map.entry("segments/view.xhtml", "viewer"),
            Map.entry("segments/edit.xhtml", "editor"),
            Map.entry("google-ads.xhtml", "admin"),
            Map.entry("meta.xhtml", "admin"),
            Map.entry("admin/users.xhtml", "admin"),
            Map.entry("admin/audit.xhtml", "admin"),
            Map.entry("admin/data.xhtml", "admin"),
            Map.entry("login.xhtml", "public"));

    static boolean allowed(String role, String least) {
        return least.equals("public") || (role != null && ROLES.indexOf(role) >= ROLES.indexOf(least));
    }

    @Test
    void everyEndpointAndPageHasARule() throws Exception {
        record Declared(String verb, String path, String consumes) {
        }
        List<Declared> methods = new ArrayList<>();
        for (Class<?> type : ApplicationClasses.all()) {
            if (!type.isAnnotationPresent(Path.class)) {
                continue;
            }
            for (Method m : type.getMethods()) {
                String verb = ApplicationClasses.httpMethod(m);
                if (verb == null) {
                    continue;
                }
                Consumes consumes = m.getAnnotation(Consumes.class);
                assertTrue(consumes == null || Stream.of(consumes.value()).noneMatch(c -> c.equals("*/*")),
                        "no resource method takes any content type: " + m);
                methods.add(new Declared(verb, "/api/" + type.getAnnotation(Path.class).value()
                        + (m.isAnnotationPresent(Path.class) ? "/" + m.getAnnotation(Path.class).value() : ""),
                        consumes == null ? null : consumes.value()[0]));
            }
        }
        Set<String> declared = new TreeSet<>();
        for (Declared d : methods) {
            boolean shared = methods.stream().filter(o -> o.verb().equals(d.verb()) && o.path().equals(d.path())).count() > 1;
            declared.add(d.verb() + " " + d.path() + (shared ? " " + d.consumes() : ""));
        }
        Set<String> ruled = API.stream().map(Rule::key).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(ruled, declared, "every API method has exactly one rule in this test's table");

        Set<String> pages = new TreeSet<>();
        java.nio.file.Path webapp = java.nio.file.Path.of("src/main/webapp");
        try (Stream<java.nio.file.Path> files = Files.walk(webapp)) {
            files.filter(f -> f.toString().endsWith(".xhtml") && !webapp.relativize(f).startsWith("WEB-INF"))
                    .forEach(f -> pages.add(webapp.relativize(f).toString()));
        }
        assertEquals(new TreeSet<>(PAGES.keySet()), pages, "every console page has a rule");
    }

    @Test
    void everyApiPathAnswersEachRoleAsTheSpecSays() throws Exception {
        Map<String, Http> clients = clients();
        List<String> wrong = new ArrayList<>();
        for (Rule rule : Stream.concat(API.stream(), OTHER.stream()).toList()) {
            for (var entry : clients.entrySet()) {
                String role = entry.getKey().equals("anonymous") ? null : entry.getKey();
                Http client = entry.getValue();
                if (rule.key().equals("POST /api/tokens") && role != null) {
                    // tokens are made with a password, never with another token
                    client = Http.anonymous(base).withAuthorization(role.equals("admin") ? Http.basic("admin", Http.ADMIN_PASSWORD)
                            : Http.basic("it-" + role, Http.USER_PASSWORD));
                }
                var r = client.request(rule.method(), rule.path(), rule.contentType(), rule.body());
                boolean expectAllowed = allowed(role, rule.least());
                int status = r.status();
                String outcome = rule.key() + " as " + entry.getKey() + ": " + status + " " + abbreviate(r.body());
                if (expectAllowed) {
                    if (status == 401 || status == 403 || status >= 500) {
                        wrong.add("allowed but " + outcome);
                    }
                } else if (role == null && rule.key().startsWith("oauth")) {
                    if (status != 303 || !r.header("Location").contains("/login.xhtml")) {
                        wrong.add("expected the login page (a browser's step), got " + outcome);
                    }
                } else if (role == null) {
                    if (status != 401 || !"Bearer realm=\"segmatch\"".equals(r.header("WWW-Authenticate"))) {
                        wrong.add("expected 401 with the Bearer challenge, got " + outcome);
                    }
                } else if (status != 403 || (rule.key().contains("/api/") && !r.contentType().startsWith("application/problem+json"))) {
                    wrong.add("expected a 403 (a problem document from the API), got " + outcome);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void theEventStreamNeedsAUser() throws Exception {
        for (var entry : clients().entrySet()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.toURI().resolve("api/events"));
            String auth = entry.getValue().authorization();
            if (auth != null) {
                request.header("Authorization", auth);
            }
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();
            assertEquals(entry.getKey().equals("anonymous") ? 401 : 200, response.statusCode(), entry.getKey());
        }
    }

    @Test
    void everyConsolePageAnswersEachRoleAsTheSpecSays() throws Exception {
        Map<String, Http> clients = clients();
        List<String> wrong = new ArrayList<>();
        for (var page : PAGES.entrySet()) {
            for (var entry : clients.entrySet()) {
                String role = entry.getKey().equals("anonymous") ? null : entry.getKey();
                var r = entry.getValue().get(page.getKey());
                String outcome = page.getKey() + " as " + entry.getKey() + ": " + r.status() + " " + r.header("Location");
                if (allowed(role, page.getValue())) {
                    if (r.status() != 200 && r.status() != 404) {
                        wrong.add("allowed but " + outcome);
                    }
                } else if (role == null) {
                    if (r.status() != 303 || !r.header("Location").contains("/login.xhtml?next=")) {
                        wrong.add("expected the login page, got " + outcome);
                    }
                } else if (r.status() != 403) {
                    wrong.add("expected 403, got " + outcome);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void aViewerNeverSeesRowValuesSamplesMemberKeysOrRejectedLines() {
        Http admin = new Http(base).deployed();
        var upload = admin.csv("api/datasets?name=Personal&key=id", "id,email\n1,ann@example.com\n2,ben@example.com,extra\n3,cy@example.com\n4,di@example.com\n");
        assertEquals(201, upload.status(), upload.body());
        String id = upload.json().getString("datasetId");
        assertTrue(upload.body().contains("expected 2 fields"), "an editor sees why a line was rejected: " + upload.body());
        Http viewer = Http.as(base, "viewer");
        for (String path : List.of("api/datasets/" + id, "api/datasets/" + id + "/uploads", "datasets/view.xhtml?id=" + id)) {
            var r = viewer.get(path);
            assertEquals(200, r.status(), path);
            assertFalse(r.body().contains("ann@example.com") || r.body().contains("expected 2 fields"),
                    "no values or rejected-line texts for a viewer in " + path + ": " + r.body());
        }
        assertTrue(viewer.get("api/datasets/" + id).body().contains("\"line\":3"), "the viewer still sees which line");
        assertTrue(admin.get("datasets/view.xhtml?id=" + id).body().contains("ann@example.com"), "an admin sees samples");
    }

    @Test
    void activationIsTheAdminsToChange() {
        Http admin = new Http(base).deployed();
        Http editor = Http.as(base, "editor");
        String dataset = admin.csv("api/datasets?name=Activation%20rights&key=id", "id,plan\n1,pro\n").json().getString("datasetId");
        String plain = "{\"name\": \"Rights\", \"datasetId\": \"" + dataset + "\", \"logic\": \"AND\", \"conditions\": "
                + "[{\"field\": \"plan\", \"operator\": \"eq\", \"value\": \"pro\"}]";
        String activated = plain + ", \"activation\": {\"googleAds\": {\"enabled\": true, \"userList\": null, \"consent\": "
                + "{\"adUserData\": \"GRANTED\", \"adPersonalization\": \"GRANTED\"}}}}";
        var refused = editor.json("POST", "api/segments", activated);
        assertEquals(403, refused.status(), refused.body());
        var created = editor.json("POST", "api/segments", plain + "}");
        assertEquals(201, created.status(), created.body());
        String segment = created.json().getString("id");
        assertEquals(403, editor.json("PUT", "api/segments/" + segment, activated).status(), "the editor may not enable it");
        assertEquals(200, admin.json("PUT", "api/segments/" + segment, activated).status(), "the admin may");
        // the editor may still edit the rule, keeping the activation as it is
        String renamed = activated.replace("\"Rights\"", "\"Rights renamed\"");
        assertEquals(200, editor.json("PUT", "api/segments/" + segment, renamed).status());
        assertEquals(403, editor.json("PUT", "api/segments/" + segment, plain.replace("\"Rights\"", "\"Off\"") + "}").status(),
                "nor disable it");
        var deleted = editor.delete("api/segments/" + segment);
        assertEquals(403, deleted.status(), "nor empty its list by deleting it: " + deleted.body());
        assertTrue(deleted.body().contains("activation-needs-admin"), deleted.body());
        String audit = admin.get("api/audit?limit=50").body();
        assertTrue(audit.contains("\"action\":\"activation_changed\",\"target\":\"" + segment + "\""), audit);
        assertTrue(audit.contains("\"actor\":\"it-editor\",\"action\":\"segment_created\""), audit);
    }

    @Test
    void crossSiteWritesWithTheSessionCookieAreRefused() throws Exception {
        Http browser = loggedInBrowser("it-csrf", "editor");
        String origin = base.getProtocol() + "://" + base.getHost() + ":" + base.getPort();
        String body = "{\"name\": \"CSRF\", \"datasetId\": \"" + NONE + "\", \"logic\": \"AND\", \"conditions\": []}";
        // a form or fetch from any web page can send text/plain without a preflight
        var plain = browser.sendWith("POST", "api/segments", "text/plain", body, Map.of("Origin", origin));
        assertEquals(403, plain.status(), plain.body());
        var foreign = browser.sendWith("POST", "api/segments", "application/json", body, Map.of("Origin", "https://evil.example"));
        assertEquals(403, foreign.status(), foreign.body());
        var noOrigin = browser.sendWith("POST", "api/segments", "application/json", body, Map.of());
        assertEquals(403, noOrigin.status(), "neither Origin nor Sec-Fetch-Site: " + noOrigin.body());
        // the console's own origin with JSON passes the guard (and meets the validation: no such dataset)
        var own = browser.sendWith("POST", "api/segments", "application/json", body, Map.of("Origin", origin));
        assertEquals(400, own.status(), own.body());
        var fetchSite = browser.sendWith("POST", "api/segments", "application/json", body, Map.of("Sec-Fetch-Site", "same-origin"));
        assertEquals(400, fetchSite.status(), fetchSite.body());
        // a script with a token is not a browser: the same text/plain request only meets the media type check
        var token = Http.as(base, "editor").request("POST", "api/segments", "text/plain", body);
        assertEquals(415, token.status(), token.body());
        assertTrue(token.body().contains("application/json"), token.body());

        // a Faces post without the view state does nothing
        var page = browser.get("segments/edit.xhtml");
        assertEquals(200, page.status());
        var forged = browser.form("segments/edit.xhtml", "builder", "builder", "builder:name", "Forged segment",
                "builder:save", "Save");
        assertTrue(forged.status() == 200 || forged.status() == 403, forged.status() + " " + forged.body());
        assertFalse(new Http(base).get("api/segments").body().contains("Forged segment"), "no segment from a forged post");
        var crossSiteFaces = browser.sendWith("POST", "segments/edit.xhtml", "application/x-www-form-urlencoded",
                "builder=builder&jakarta.faces.ViewState=" + URLEncoder.encode(Http.viewState(page.body()),
                        StandardCharsets.UTF_8), Map.of("Origin", "https://evil.example"));
        assertEquals(403, crossSiteFaces.status(), "a console post from another origin");
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteAndLoginReplacesTheSession() throws Exception {
        Http browser = Http.anonymous(base);
        var login = browser.get("login.xhtml");
        assertEquals(200, login.status());
        assertNotNull(login.header("Content-Security-Policy"));
        assertTrue(login.raw().headers().allValues("Set-Cookie").isEmpty(), "the login page needs no session");
        var posted = browser.form("login.xhtml", "login", "login", "login:username", "admin", "login:password",
                Http.ADMIN_PASSWORD, "login:submit", "Log in", "jakarta.faces.ViewState", Http.viewState(login.body()));
        assertEquals(302, posted.status(), posted.body());
        List<String> cookies = posted.raw().headers().allValues("Set-Cookie");
        String last = cookies.get(cookies.size() - 1);
        assertTrue(last.startsWith("JSESSIONID=") && last.contains("HttpOnly") && last.contains("SameSite=Lax"), cookies.toString());
        assertFalse(last.contains("Secure"), "plain HTTP, and no proxy said the browser used HTTPS");
        assertEquals(200, browser.get("api/me").status(), "the session authenticates the console's own API calls");
    }

    @Test
    void behindATrustedTlsProxyTheSessionCookieIsSecure() {
        Http browser = Http.anonymous(base);
        var login = browser.get("login.xhtml");
        var posted = browser.sendWith("POST", "login.xhtml", "application/x-www-form-urlencoded",
                "login=login&login%3Ausername=admin&login%3Apassword=" + URLEncoder.encode(Http.ADMIN_PASSWORD,
                        StandardCharsets.UTF_8) + "&login%3Asubmit=Log+in&jakarta.faces.ViewState="
                        + URLEncoder.encode(Http.viewState(login.body()), StandardCharsets.UTF_8),
                Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "segmatch.example.com",
                        "Origin", "https://segmatch.example.com"));
        assertEquals(302, posted.status(), posted.body());
        List<String> cookies = posted.raw().headers().allValues("Set-Cookie");
        String last = cookies.get(cookies.size() - 1);
        assertTrue(last.contains("Secure") && last.contains("HttpOnly") && last.contains("SameSite=Lax"), cookies.toString());
        assertNotNull(posted.header("Strict-Transport-Security"));
        // the origin check follows the proxy's host: the browser's own origin passes, the server's address does not
        var foreign = browser.sendWith("POST", "login.xhtml", "application/x-www-form-urlencoded", "login=login",
                Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "segmatch.example.com",
                        "Origin", base.getProtocol() + "://" + base.getHost() + ":" + base.getPort()));
        assertEquals(403, foreign.status());
    }

    @Test
    void aChangedPasswordEndsTheUsersOtherSessionsButNotTheOneThatChangedIt() {
        Http first = loggedInBrowser("it-sessions", "viewer");
        Http second = loggedInBrowser("it-sessions", "viewer");
        assertEquals(200, first.get("api/me").status());
        String origin = base.getProtocol() + "://" + base.getHost() + ":" + base.getPort();
        var changed = first.sendWith("PATCH", "api/me", "application/json", "{\"currentPassword\": \"" + Http.USER_PASSWORD
                + "\", \"password\": \"another-password-9\"}", Map.of("Origin", origin));
        assertEquals(200, changed.status(), changed.body());
        assertEquals(200, first.get("api/me").status(), "the session that changed it goes on");
        assertEquals(401, second.get("api/me").status(), "the other session is over");
        assertEquals(303, second.get("segments/").status(), "and its console asks for a login");
        // an admin who sets the password ends the user's sessions too
        Http third = Http.anonymous(base);
        var login = third.get("login.xhtml");
        assertEquals(302, third.form("login.xhtml", "login", "login", "login:username", "it-sessions", "login:password",
                "another-password-9", "login:submit", "Log in", "jakarta.faces.ViewState", Http.viewState(login.body())).status());
        Http script = Http.anonymous(base).withAuthorization("Bearer " + Http.anonymous(base)
                .withAuthorization(Http.basic("it-sessions", "another-password-9"))
                .json("POST", "api/tokens", "{\"name\": \"before the reset\"}").json().getString("token"));
        assertEquals(200, script.get("api/me").status());
        assertEquals(200, new Http(base).json("PATCH", "api/users/it-sessions", "{\"password\": \"" + Http.USER_PASSWORD + "\"}").status());
        assertEquals(401, third.get("api/me").status());
        assertEquals(401, script.get("api/me").status(), "an admin's reset revokes the user's tokens");
        assertEquals(401, first.get("api/me").status());
    }

    @Test
    void fiveFailedLoginsLockTheUsernameForAQuarterOfAnHour() {
        String name = "it-lockout";
        Http withToken = Http.as(base, name, "viewer");
        withToken.authorization(); // a token made before the lock keeps working
        Http guesser = Http.anonymous(base);
        for (int i = 1; i <= 4; i++) {
            var r = guesser.withAuthorization(Http.basic(name, "wrong-password-" + i)).get("api/me");
            assertEquals(401, r.status(), "failure " + i);
        }
        var fifth = guesser.withAuthorization(Http.basic(name, "wrong-password-5")).get("api/me");
        assertEquals(429, fifth.status(), fifth.body());
        long retry = Long.parseLong(fifth.header("Retry-After"));
        assertTrue(retry > 14 * 60 && retry <= 15 * 60 + 1, "about fifteen minutes: " + retry);
        var right = guesser.withAuthorization(Http.basic(name, Http.USER_PASSWORD)).get("api/me");
        assertEquals(429, right.status(), "locked even for the right password");
        var change = withToken.json("PATCH", "api/me", "{\"currentPassword\": \"" + Http.USER_PASSWORD
                + "\", \"password\": \"a new password 1\"}");
        assertEquals(429, change.status(), "a password change checks the password as a login does: " + change.body());
        long changeRetry = Long.parseLong(change.header("Retry-After"));
        assertTrue(changeRetry > 14 * 60 && changeRetry <= 15 * 60 + 1, "about fifteen minutes: " + changeRetry);
        // the form says so too
        var page = Http.anonymous(base);
        var login = page.get("login.xhtml");
        var form = page.form("login.xhtml", "login", "login", "login:username", name, "login:password", Http.USER_PASSWORD,
                "login:submit", "Log in", "jakarta.faces.ViewState", Http.viewState(login.body()));
        assertTrue(form.body().contains("Too many failed logins"), form.body());

        // a name nobody has (people type their password there): refused, and never written down
        assertEquals(401, Http.anonymous(base).withAuthorization(Http.basic("Secret-Typed-As-Name", "x")).get("api/me").status());
        String audit = new Http(base).get("api/audit?limit=100").body();
        assertTrue(audit.contains("\"actor\":\"(unknown user)\",\"action\":\"login_failed\""), audit);
        assertFalse(audit.toLowerCase(Locale.ROOT).contains("secret-typed-as-name"), audit);
        long failures = audit.split("\"action\":\"login_failed\",\"target\":\"" + name + "\"", -1).length - 1;
        assertTrue(failures >= 5, "every failure is audited: " + failures);
        assertTrue(audit.contains("\"action\":\"login_locked\",\"target\":\"" + name + "\""), audit);
        assertFalse(audit.contains("wrong-password") || audit.contains(Http.USER_PASSWORD), "never a password");
    }

    @Test
    void tokensAreShownOnceStoredAsADigestAndStopWorkingWhenRevokedExpiredOrTheirOwnerIsDisabled() throws Exception {
        Http admin = new Http(base).deployed();
        Http owner = Http.as(base, "it-token-owner", "editor");
        // tokens are made with the password; a token cannot make another (it would outlive its expiry and revocation)
        Http withPassword = Http.anonymous(base).withAuthorization(Http.basic("it-token-owner", Http.USER_PASSWORD));
        assertEquals(403, owner.json("POST", "api/tokens", "{\"name\": \"from a token\"}").status());
        var created = withPassword.json("POST", "api/tokens", "{\"name\": \"nightly\", \"role\": \"viewer\"}");
        assertEquals(201, created.status(), created.body());
        String token = created.json().getString("token");
        String id = created.json().getString("id");
        assertEquals("viewer", created.json().getString("role"));
        var shown = withPassword.get(URI.create(created.header("Location")).getPath().substring(1));
        assertEquals(200, shown.status(), "the new token's Location answers: " + shown.body());
        assertEquals(id, shown.json().getString("id"));
        assertFalse(shown.body().contains(token), "the secret is shown once, at creation");
        Http script = Http.anonymous(base).withAuthorization("Bearer " + token);
        assertEquals(200, script.get("api/datasets").status());
        assertEquals(403, script.get("api/datasets/" + NONE + "/rows").status(), "a viewer token of an editor reads no rows");
        assertEquals("viewer", script.get("api/me").json().getString("role"));
        String listed = owner.get("api/tokens").body();
        assertTrue(listed.contains(id) && !listed.contains(token), "listed without its text");
        assertTrue(admin.get("api/tokens").body().contains(id), "an admin sees every token");
        assertFalse(Http.as(base, "viewer").get("api/tokens").body().contains(id), "a viewer sees only their own");
        assertEquals(400, Http.anonymous(base).withAuthorization(Http.basic("it-viewer", Http.USER_PASSWORD))
                        .json("POST", "api/tokens", "{\"name\": \"up\", \"role\": \"admin\"}").status(),
                "never more than the owner");
        try (var c = DriverManager.getConnection(MicroDatabase.url, TestDatabase.user(), TestDatabase.password());
             var ps = c.prepareStatement("SELECT token_sha256, last_used_at FROM api_token WHERE id = ?")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(token.getBytes(StandardCharsets.UTF_8))), HexFormat.of().formatHex(rs.getBytes(1)));
                assertNotNull(rs.getTimestamp(2), "its last use is recorded");
            }
        }

        // the owner is disabled: the token stops; enabled again, it works again
        assertEquals(200, admin.json("PATCH", "api/users/it-token-owner", "{\"disabled\": true}").status());
        assertEquals(401, script.get("api/datasets").status());
        assertEquals(401, owner.get("api/datasets").status(), "every token of a disabled user");
        assertEquals(200, admin.json("PATCH", "api/users/it-token-owner", "{\"disabled\": false}").status());
        assertEquals(200, script.get("api/datasets").status());

        // revoked
        assertEquals(204, owner.delete("api/tokens/" + id).status());
        assertEquals(401, script.get("api/datasets").status());

        // expiring: works until its time, then 401
        Instant soon = Instant.now().plusSeconds(3);
        var expiring = withPassword.json("POST", "api/tokens", "{\"name\": \"short\", \"expiresAt\": \"" + soon + "\"}");
        assertEquals(201, expiring.status(), expiring.body());
        Http brief = Http.anonymous(base).withAuthorization("Bearer " + expiring.json().getString("token"));
        assertEquals(200, brief.get("api/datasets").status());
        await(() -> brief.get("api/datasets").status(), s -> s == 401, "the token to expire");
        assertEquals(400, withPassword.json("POST", "api/tokens", "{\"name\": \"past\", \"expiresAt\": \"2020-01-01T00:00:00Z\"}").status());
        var numeric = withPassword.json("POST", "api/tokens", "{\"name\": \"forever?\", \"expiresAt\": 1767225600}");
        assertEquals(400, numeric.status(), "an expiry of the wrong type is refused, not taken as none: " + numeric.body());
        assertTrue(numeric.body().contains("\"field\":\"expiresAt\""), numeric.body());

        // deleted with its owner
        var last = withPassword.json("POST", "api/tokens", "{\"name\": \"last\"}");
        Http lastScript = Http.anonymous(base).withAuthorization("Bearer " + last.json().getString("token"));
        assertEquals(200, lastScript.get("api/me").status());
        assertEquals(204, admin.delete("api/users/it-token-owner").status());
        assertEquals(401, lastScript.get("api/me").status());
        String audit = admin.get("api/audit?limit=100").body();
        assertTrue(audit.contains("\"action\":\"token_revoked\",\"target\":\"" + id + "\""), audit);
        assertTrue(audit.contains("\"action\":\"user_deleted\",\"target\":\"it-token-owner\""), audit);
        assertFalse(audit.contains(token), "never a token");
    }

    @Test
    void usersAndTheLastAdmin() throws Exception {
        Http admin = new Http(base).deployed();
        assertEquals(409, admin.json("PATCH", "api/users/admin", "{\"role\": \"editor\"}").status(), "the last admin stays one");
        assertEquals(409, admin.json("PATCH", "api/users/admin", "{\"disabled\": true}").status());
        assertEquals(409, admin.delete("api/users/admin").status());
        var second = admin.json("POST", "api/users", "{\"username\": \"It-Second-Admin\", \"password\": \"second-admin-pw\", \"role\": \"admin\"}");
        assertEquals(201, second.status(), second.body());
        assertEquals("it-second-admin", second.json().getString("username"), "names are kept in lower case");
        assertTrue(second.body().matches("\\{\"username\":\"it-second-admin\",\"role\":\"admin\",\"disabled\":false,"
                + "\"createdAt\":\"[0-9T:.-]+Z\",\"lastLoginAt\":null}"), "the fields in their order, nulls written: " + second.body());
        assertTrue(admin.get("api/me").body().matches("\\{\"username\":\"admin\",\"role\":\"admin\",\"createdAt\":\"[0-9T:.-]+Z\","
                + "\"mustChangePassword\":false}"), admin.get("api/me").body());
        assertEquals(409, admin.json("POST", "api/users", "{\"username\": \"it-second-ADMIN\", \"password\": \"second-admin-pw\", \"role\": \"viewer\"}").status(),
                "names are unique without case");
        var shortPassword = admin.json("POST", "api/users", "{\"username\": \"shorty\", \"password\": \"short\", \"role\": \"viewer\"}");
        assertEquals(400, shortPassword.status());
        assertTrue(shortPassword.body().contains("\"field\":\"password\""), shortPassword.body());
        // with two admins, one may step down; then the other is the last again
        assertEquals(200, admin.json("PATCH", "api/users/it-second-admin", "{\"role\": \"viewer\"}").status());
        assertEquals(409, admin.json("PATCH", "api/users/admin", "{\"role\": \"viewer\"}").status());
        assertEquals(204, admin.delete("api/users/it-second-admin").status());

        // one's own password
        Http me = Http.as(base, "it-self", "viewer");
        var tooShort = me.json("PATCH", "api/me", "{\"currentPassword\": \"" + Http.USER_PASSWORD + "\", \"password\": \"short\"}");
        assertEquals(400, tooShort.status());
        assertTrue(tooShort.body().contains("\"field\":\"password\""), tooShort.body());
        assertEquals(403, me.json("PATCH", "api/me", "{\"currentPassword\": \"wrong\", \"password\": \"long enough now\"}").status());
        var without = me.json("PATCH", "api/me", "{\"password\": \"long enough now\"}");
        assertEquals(400, without.status(), "a missing current password is a mistake, not a failed login");
        assertTrue(without.body().contains("\"field\":\"currentPassword\""), without.body());
        var json = me.get("api/me").json();
        assertEquals("it-self", json.getString("username"));
        assertEquals("viewer", json.getString("role"));
        assertNotNull(json.getString("createdAt"));

        try (var c = DriverManager.getConnection(MicroDatabase.url, TestDatabase.user(), TestDatabase.password());
             var rs = c.createStatement().executeQuery("SELECT password_hash FROM app_user WHERE username = 'admin'")) {
            assertTrue(rs.next());
            assertTrue(rs.getString(1).startsWith("PBKDF2WithHmacSHA512:210000:"), "the stored hash names its algorithm and iterations");
            assertFalse(rs.getString(1).contains(Http.ADMIN_PASSWORD));
        }
    }

    @Test
    void jsonBodiesOverOneMebibyteAndOversizedConsoleUploadsAreRefusedBeforeTheyAreRead() throws Exception {
        Http editor = Http.as(base, "editor");
        String padding = "x".repeat(1024 * 1024);
        // announced as larger: answered before the body is sent
        assertEquals("HTTP/1.1 413", rawStatus("POST /api/segments/preview HTTP/1.1\r\nAuthorization: " + editor.authorization()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + (1024 * 1024 + 1) + "\r\n\r\n{\"datasetId\": \"", null));
        // sent in chunks without a length: refused once one byte past the limit has arrived
        byte[] chunk = ("{\"datasetId\": \"" + padding + "\"}").getBytes(StandardCharsets.US_ASCII);
        assertEquals("HTTP/1.1 413", rawStatus("POST /api/segments/preview HTTP/1.1\r\nAuthorization: " + editor.authorization()
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(chunk.length) + "\r\n", chunk));
        // whatever the body claims to be, or without a type at all: only uploads stream past 1 MiB
        for (String type : List.of("Content-Type: application/JSON\r\n", "Content-Type: text/x-anything\r\n", "")) {
            assertEquals("HTTP/1.1 413", rawStatus("PATCH /api/me HTTP/1.1\r\nAuthorization: " + editor.authorization()
                    + "\r\n" + type + "Content-Length: " + (1024 * 1024 + 1) + "\r\n\r\n{", null), type);
        }
        var small = editor.json("POST", "api/segments/preview", "{\"datasetId\": \"" + padding.substring(100) + "\"}");
        assertTrue(small.status() == 400 || small.status() == 404, "just under the limit: read and validated, "
                + small.status() + " " + abbreviate(small.body()));

        // a console upload announcing more than segmatch.upload.max-bytes is answered before its body arrives
        assertEquals("HTTP/1.1 413", rawStatus("POST /datasets/upload.xhtml HTTP/1.1\r\nAuthorization: " + editor.authorization()
                + "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 5000000000\r\n\r\n--b\r\n", null));
    }

    @Test
    void everyAnswerCarriesTheBrowserHeaders() {
        Http admin = new Http(base).deployed();
        for (var r : List.of(admin.get("api/datasets"), admin.get("segments/"), Http.anonymous(base).get("api/datasets"),
                Http.anonymous(base).get("segments/"), admin.get("api/segments/" + NONE))) {
            String csp = r.header("Content-Security-Policy");
            assertNotNull(csp, r.status() + " " + r.body());
            assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"), csp);
            assertEquals("nosniff", r.header("X-Content-Type-Options"));
            assertEquals("same-origin", r.header("Referrer-Policy"));
        }
        int written = Http.anonymous(base).request("POST", "/health/ready", "application/json", "{}").status();
        assertTrue(written >= 400 && written < 500, "the health checks are public to read only: " + written);
        String page = admin.get("segments/edit.xhtml").body();
        assertFalse(page.matches("(?s).*\\son[a-z]+=\".*"), "no inline event handler in the builder");
        assertFalse(page.matches("(?s).*<script(?![^>]*\\ssrc=)[^>]*>.*"), "no inline script element");
    }

    /** The status line the server answers to a request written as is on a socket (then {@code body}, if any). */
    private String rawStatus(String head, byte[] body) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            String withHost = head.replaceFirst("\r\n", "\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n");
            out.write(withHost.getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        }
    }

    /** The four kinds of caller, each with its own token (anonymous: none). */
    private Map<String, Http> clients() {
        Map<String, Http> clients = new LinkedHashMap<>();
        clients.put("anonymous", Http.anonymous(base));
        for (String role : ROLES) {
            clients.put(role, Http.as(base, role));
        }
        return clients;
    }

    /** A browser-like client logged in through the login form (its session cookie authenticates it). */
    private Http loggedInBrowser(String username, String role) {
        Http.as(base, username, role);
        Http browser = Http.anonymous(base);
        var login = browser.get("login.xhtml");
        var posted = browser.form("login.xhtml", "login", "login", "login:username", username, "login:password",
                Http.USER_PASSWORD, "login:submit", "Log in", "jakarta.faces.ViewState", Http.viewState(login.body()));
        assertEquals(302, posted.status(), posted.body());
        return browser;
    }

    private static String abbreviate(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }
}
