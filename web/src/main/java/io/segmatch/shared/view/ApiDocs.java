package io.segmatch.shared.view;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The API page's Swagger UI: the version of the {@code org.webjars:swagger-ui} jar the WAR carries. */
@Named
@ApplicationScoped
public class ApiDocs {

    private static final String POM = "META-INF/maven/org.webjars/swagger-ui/pom.properties";

    private final String swaggerUiVersion = readVersion();

    public String getSwaggerUiVersion() {
        return swaggerUiVersion;
    }

    private static String readVersion() {
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(POM)) {
            if (in == null) {
                throw new IllegalStateException(POM + " is missing: the WAR must carry org.webjars:swagger-ui");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
