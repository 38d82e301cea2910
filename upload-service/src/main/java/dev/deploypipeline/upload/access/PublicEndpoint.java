package dev.deploypipeline.upload.access;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A handler method anyone may call without a token, because it proves its caller some other way. */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface PublicEndpoint {

    /** How the endpoint checks who calls it instead (a signature, say). */
    String value();
}
