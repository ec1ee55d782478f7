package io.segmatch.shared.api;

import jakarta.ws.rs.HttpMethod;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** The web module's compiled classes, for tests that hold a table or a document to the code. */
public final class ApplicationClasses {

    private ApplicationClasses() {
    }

    /** Every class of the module (loaded without initialising it). */
    public static List<Class<?>> all() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(OpenApiDocument.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                classes.add(Class.forName(name, false, ApplicationClasses.class.getClassLoader()));
            }
        }
        return classes;
    }

    /** The HTTP method a resource method answers ({@code GET}, …), or null when it is not one. */
    public static String httpMethod(Method method) {
        return Stream.of(method.getAnnotations()).map(a -> a.annotationType().getAnnotation(HttpMethod.class))
                .filter(Objects::nonNull).map(HttpMethod::value).findFirst().orElse(null);
    }
}
