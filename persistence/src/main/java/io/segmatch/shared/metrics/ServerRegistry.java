package io.segmatch.shared.metrics;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link Measurements} bean that records into the server's own metrics registry, given
 * by a server-specific module (on Payara: MicroProfile Metrics, module payara-support).
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface ServerRegistry {

    /** The qualifier as a value, for a programmatic lookup. */
    final class Literal extends AnnotationLiteral<ServerRegistry> implements ServerRegistry {
        public static final Literal INSTANCE = new Literal();
        private static final long serialVersionUID = 1L;
    }
}
