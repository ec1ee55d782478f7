package io.segmatch.shared.api;

import io.segmatch.access.control.Role;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.HttpConstraint;
import jakarta.servlet.annotation.ServletSecurity;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * {@code GET /openapi}: the API's contract, {@code META-INF/openapi.yaml}, as YAML or (with
 * {@code Accept: application/json} or {@code ?format=JSON}) as JSON, to every authenticated user.
 * Served by the application itself on every server: WildFly's own OpenAPI endpoint is not
 * covered by the application's authentication, and the document is written by hand (with a test
 * that holds it to the resources), so no server needs to scan anything. The exact mapping wins
 * over the {@code /openapi/*} that Payara's MicroProfile OpenAPI would add.
 */
@WebServlet(urlPatterns = {"/openapi", "/openapi/*"})
@ServletSecurity(@HttpConstraint(rolesAllowed = {Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN}))
public class OpenApiDocument extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String RESOURCE = "META-INF/openapi.yaml";

    private byte[] yaml;
    private byte[] json;

    @Override
    public void init() throws ServletException {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new ServletException(RESOURCE + " is missing from the application");
            }
            yaml = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        json = toJson(yaml);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getPathInfo() != null && !request.getPathInfo().equals("/")) {
            response.sendError(404);
            return;
        }
        boolean asJson = wantsJson(request.getParameter("format"), request.getHeader("Accept"));
        response.setContentType(asJson ? "application/json" : "application/yaml");
        response.setCharacterEncoding("UTF-8");
        byte[] body = asJson ? json : yaml;
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** {@code format=JSON|YAML} decides; else JSON only when the client accepts JSON and not YAML. */
    static boolean wantsJson(String format, String accept) {
        if (format != null) {
            return format.equalsIgnoreCase("json");
        }
        String types = accept == null ? "" : accept.toLowerCase(Locale.ROOT);
        return types.contains("application/json") && !types.contains("yaml");
    }

    /** The same document as JSON: YAML's plain scalars as JSON numbers, booleans and null; dates stay text. */
    static byte[] toJson(byte[] yaml) {
        DumperOptions dumping = new DumperOptions();
        Object document = new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(dumping), dumping,
                new TextTimes()).load(new String(yaml, StandardCharsets.UTF_8));
        return json(document).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonValue json(Object value) {
        if (value instanceof Map<?, ?> map) {
            JsonObjectBuilder object = JSON.createObjectBuilder();
            map.forEach((key, item) -> object.add(String.valueOf(key), json(item)));
            return object.build();
        }
        if (value instanceof List<?> list) {
            JsonArrayBuilder array = JSON.createArrayBuilder();
            list.forEach(item -> array.add(json(item)));
            return array.build();
        }
        if (value == null) {
            return JsonValue.NULL;
        }
        if (value instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            return JSON.createValue(new BigInteger(value.toString()));
        }
        if (value instanceof Double d) {
            return JSON.createValue(d);
        }
        return JSON.createValue(value.toString());
    }

    /** YAML's implicit types without timestamps: an example time is text in JSON, as it was written. */
    private static final class TextTimes extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }
}
