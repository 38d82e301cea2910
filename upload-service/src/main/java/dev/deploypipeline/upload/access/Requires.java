package dev.deploypipeline.upload.access;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope a handler method needs, checked by {@link AccessInterceptor} before it runs. Every handler method
 * of the API declares this or {@link PublicEndpoint}; one that declares neither is refused to all but admins.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Requires {

    Scope value();
}
