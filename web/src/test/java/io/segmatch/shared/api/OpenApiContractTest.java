package io.segmatch.shared.api;

import io.segmatch.access.api.RoleEnforcement;
import io.segmatch.access.control.Role;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.json.JsonObject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.MatrixParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.segmatch.shared.json.Jsons.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The contract ({@code META-INF/openapi.yaml}, served at {@code /openapi}) against the code: a
 * valid OpenAPI 3 document; every JAX-RS method of the application in it and nothing else under
 * {@code /api}; each operation with its parameters, its body's media types, the least role its
 * {@code @RolesAllowed} gives, an example, a success answer and every error answer it can give
 * as a problem document.
 */
class OpenApiContractTest {

    private static byte[] yaml;
    private static OpenAPI api;
    private static Map<String, List<Method>> endpoints;

    @BeforeAll
    static void read() throws Exception {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(OpenApiDocument.RESOURCE)) {
            assertNotNull(in, OpenApiDocument.RESOURCE);
            yaml = in.readAllBytes();
        }
        ParseOptions options = new ParseOptions();
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(new String(yaml, StandardCharsets.UTF_8),
                null, options);
        assertEquals(List.of(), result.getMessages() == null ? List.of() : result.getMessages(),
                "the OpenAPI parser's complaints");
        api = result.getOpenAPI();
        assertNotNull(api);
        endpoints = endpoints();
        assertTrue(endpoints.size() > 30, "the resources were found: " + endpoints.keySet());
    }

    @Test
    void everyResourceMethodIsDocumentedAndNothingElse() {
        Set<String> documented = new TreeSet<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(method -> documented.add(method.name() + " " + path)));
        Set<String> missing = new TreeSet<>(endpoints.keySet());
        missing.removeAll(documented);
        assertEquals(Set.of(), missing, "operations of the code the contract lacks");
        Set<String> unknown = documented.stream().filter(o -> o.contains(" /api")).collect(Collectors.toCollection(TreeSet::new));
        unknown.removeAll(endpoints.keySet());
        unknown.removeIf(o -> servletPatterns().contains(o.substring(o.indexOf(' ') + 1)));
        assertEquals(Set.of(), unknown, "operations of the contract the code lacks");
    }

    @Test
    void eachOperationNamesItsParametersBodyRoleAndAnswers() {
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        endpoints.forEach((key, methods) -> {
            String verb = key.substring(0, key.indexOf(' '));
            String path = key.substring(key.indexOf(' ') + 1);
            Operation op = api.getPaths().get(path).readOperationsMap().get(PathItem.HttpMethod.valueOf(verb));
            if (op == null) {
                return;
            }
            check(key, op, methods, problems);
            if (!ids.add(op.getOperationId())) {
                problems.add(key + ": operationId " + op.getOperationId() + " used twice");
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void servletPathsUnderApiAreDocumentedToo() {
        assertFalse(servletPatterns().isEmpty());
        for (String pattern : servletPatterns()) {
            PathItem item = api.getPaths().get(pattern);
            assertNotNull(item, pattern);
            assertNotNull(item.getGet(), pattern + " GET");
            assertNotNull(item.getGet().getResponses().get("401"), pattern + " 401");
        }
    }

    /** The servlets' paths under /api and /oauth (the event stream, Google's consent screen). */
    private static Set<String> servletPatterns() {
        Set<String> patterns = new TreeSet<>();
        try {
            for (Class<?> type : ApplicationClasses.all()) {
                WebServlet servlet = type.getAnnotation(WebServlet.class);
                if (servlet != null) {
                    Arrays.stream(servlet.urlPatterns()).filter(p -> p.startsWith("/api/") || p.startsWith("/oauth/"))
                            .forEach(patterns::add);
                }
            }
        } catch (IOException | URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return patterns;
    }

    @Test
    void theJsonFormIsTheSameDocument() throws IOException {
        String json = new String(OpenApiDocument.toJson(yaml), StandardCharsets.UTF_8);
        JsonObject object = JSON.createReader(new StringReader(json)).readObject();
        assertEquals("3.0.3", object.getString("openapi"));
        assertEquals(api.getPaths().keySet(), object.getJsonObject("paths").keySet());
        assertEquals(Yaml.mapper().readTree(yaml), Json.mapper().readTree(json), "the same tree as the YAML");
    }

    @Test
    void formatChoice() {
        assertTrue(OpenApiDocument.wantsJson("JSON", null));
        assertFalse(OpenApiDocument.wantsJson("yaml", "application/json"));
        assertTrue(OpenApiDocument.wantsJson(null, "application/json"));
        assertFalse(OpenApiDocument.wantsJson(null, "application/yaml, application/json;q=0.5"));
        assertFalse(OpenApiDocument.wantsJson(null, "*/*"));
        assertFalse(OpenApiDocument.wantsJson(null, null));
    }

    private static void check(String key, Operation op, List<Method> methods, List<String> problems) {
        Method first = methods.get(0);
        for (String text : new String[] {op.getOperationId(), op.getSummary(), op.getDescription()}) {
            if (text == null || text.isBlank()) {
                problems.add(key + ": operationId, summary and description are required");
                break;
            }
        }
        if (op.getTags() == null || op.getTags().isEmpty()) {
            problems.add(key + ": no tag");
        }
        // the role
        Role least = leastRole(first);
        Object documentedRole = op.getExtensions() == null ? null : op.getExtensions().get("x-segmatch-role");
        if (!least.apiName().equals(documentedRole)) {
            problems.add(key + ": x-segmatch-role is " + documentedRole + ", the code needs " + least.apiName());
        }
        // parameters
        Map<String, Set<String>> declared = new HashMap<>();
        boolean body = false;
        Set<String> consumes = new TreeSet<>();
        for (Method m : methods) {
            for (Annotation[] annotations : m.getParameterAnnotations()) {
                String in = null;
                String name = null;
                boolean special = false;
                for (Annotation a : annotations) {
                    if (a instanceof PathParam p) {
                        in = "path";
                        name = p.value();
                    } else if (a instanceof QueryParam q) {
                        in = "query";
                        name = q.value();
                    } else if (a instanceof HeaderParam h) {
                        in = "header";
                        name = h.value();
                    } else if (a instanceof Context || a instanceof BeanParam || a instanceof FormParam
                            || a instanceof CookieParam || a instanceof MatrixParam) {
                        special = true;
                    }
                }
                if (in != null) {
                    declared.computeIfAbsent(in, k -> new TreeSet<>()).add(name.toLowerCase());
                } else if (!special) {
                    body = true;
                    consumes.addAll(consumed(m));
                }
            }
        }
        Map<String, Set<String>> documentedParams = new HashMap<>();
        List<Parameter> params = new ArrayList<>();
        PathItem item = api.getPaths().get(key.substring(key.indexOf(' ') + 1));
        if (item.getParameters() != null) {
            params.addAll(item.getParameters());
        }
        if (op.getParameters() != null) {
            params.addAll(op.getParameters());
        }
        for (Parameter p : params) {
            Parameter resolved = p.get$ref() == null ? p
                    : api.getComponents().getParameters().get(p.get$ref().substring(p.get$ref().lastIndexOf('/') + 1));
            if (resolved.getDescription() == null || resolved.getDescription().isBlank()) {
                problems.add(key + ": parameter " + resolved.getName() + " has no description");
            }
            documentedParams.computeIfAbsent(resolved.getIn(), k -> new TreeSet<>()).add(resolved.getName().toLowerCase());
        }
        for (String in : List.of("path", "query", "header")) {
            Set<String> code = declared.getOrDefault(in, Set.of());
            Set<String> doc = documentedParams.getOrDefault(in, Set.of());
            if (!doc.containsAll(code) || (!in.equals("header") && !code.containsAll(doc))) {
                problems.add(key + ": " + in + " parameters documented " + doc + ", in the code " + code);
            }
        }
        // the body
        if (body != (op.getRequestBody() != null)) {
            problems.add(key + ": " + (body ? "the body is not documented" : "documents a body the code does not read"));
        }
        if (body && op.getRequestBody() != null) {
            Content content = op.getRequestBody().getContent();
            Set<String> types = content == null ? Set.of() : content.keySet();
            if (!types.containsAll(consumes)) {
                problems.add(key + ": the body takes " + consumes + ", documented " + types);
            }
            exampled(key + " request", content, problems);
        }
        // the answers
        Map<String, ApiResponse> responses = op.getResponses() == null ? Map.of() : op.getResponses();
        if (responses.keySet().stream().noneMatch(s -> s.startsWith("2") || s.startsWith("3"))) {
            problems.add(key + ": no success answer");
        }
        Set<String> needed = new TreeSet<>(List.of("401", "500"));
        if (least != Role.VIEWER) {
            needed.add("403");
        }
        if (declared.containsKey("path")) {
            needed.add("404");
        }
        if (body || declared.containsKey("query")) {
            needed.add("400");
        }
        if (body) {
            needed.add("415");
        }
        needed.removeAll(responses.keySet());
        if (!needed.isEmpty()) {
            problems.add(key + ": error answers missing: " + needed);
        }
        responses.forEach((status, response) -> {
            ApiResponse resolved = resolve(response);
            if (resolved.getDescription() == null || resolved.getDescription().isBlank()) {
                problems.add(key + " " + status + ": no description");
            }
            if (status.startsWith("4") || status.startsWith("5")) {
                MediaType problem = resolved.getContent() == null ? null : resolved.getContent().get(Problem.MEDIA_TYPE);
                if (problem == null || problem.getSchema() == null
                        || !"#/components/schemas/Problem".equals(problem.getSchema().get$ref())) {
                    problems.add(key + " " + status + ": not a problem document");
                }
            } else if (status.startsWith("2")) {
                exampled(key + " " + status, resolved.getContent(), problems);
            }
        });
    }

    /** Every JSON body (asked or answered) carries an example a reader can copy. */
    private static void exampled(String where, Content content, List<String> problems) {
        if (content == null) {
            return;
        }
        content.forEach((type, media) -> {
            if (type.contains("json") && media.getExample() == null
                    && (media.getExamples() == null || media.getExamples().isEmpty())) {
                problems.add(where + " " + type + ": no example");
            }
            if (media.getSchema() == null) {
                problems.add(where + " " + type + ": no schema");
            }
        });
    }

    private static ApiResponse resolve(ApiResponse response) {
        if (response.get$ref() == null) {
            return response;
        }
        String name = response.get$ref().substring(response.get$ref().lastIndexOf('/') + 1);
        ApiResponse shared = api.getComponents().getResponses().get(name);
        assertNotNull(shared, response.get$ref());
        return shared;
    }

    private static Role leastRole(Method method) {
        List<String> roles = RoleEnforcement.rule(method, method.getDeclaringClass());
        if (roles == null) {
            return Role.VIEWER;
        }
        if (roles.isEmpty()) {
            fail(method + " is open to nobody");
        }
        return roles.stream().map(r -> Role.of(r).orElseThrow()).min(Enum::compareTo).orElseThrow();
    }

    private static Set<String> consumed(Method method) {
        Consumes consumes = method.isAnnotationPresent(Consumes.class) ? method.getAnnotation(Consumes.class)
                : method.getDeclaringClass().getAnnotation(Consumes.class);
        if (consumes == null) {
            return Set.of("application/json");
        }
        return Arrays.stream(consumes.value()).flatMap(v -> Arrays.stream(v.split(",")))
                .map(v -> v.split(";")[0].strip()).collect(Collectors.toSet());
    }

    /** "GET /api/datasets/{id}" → the methods that answer it (two when they take different media types). */
    private static Map<String, List<Method>> endpoints() throws Exception {
        String application = "/" + JaxRsConfiguration.class.getAnnotation(ApplicationPath.class).value();
        Map<String, List<Method>> found = new LinkedHashMap<>();
        for (Class<?> type : ApplicationClasses.all()) {
            Path root = type.getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method m : type.getMethods()) {
                String verb = ApplicationClasses.httpMethod(m);
                if (verb == null) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                String path = (application + "/" + root.value() + (sub == null ? "" : "/" + sub.value()))
                        .replaceAll("/+", "/").replaceAll("\\{(\\w+)\\s*:[^}]*}", "{$1}");
                if (path.endsWith("/") && path.length() > 1) {
                    path = path.substring(0, path.length() - 1);
                }
                found.computeIfAbsent(verb + " " + path, k -> new ArrayList<>()).add(m);
            }
        }
        return found;
    }
}
