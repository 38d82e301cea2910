package dev.deploypipeline.testing;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * A settings record bound as a service binds it, from the documented variables a test gives and nothing else:
 * what a service runs with when those are all its environment holds.
 */
public final class BoundSettings {

    private BoundSettings() {}

    /** {@code type}'s settings with their defaults. */
    public static <T> T of(Class<T> type) {
        return of(type, Map.of());
    }

    /** {@code type}'s settings from {@code environment}, variables such as {@code SITE_MAX_FILES=5}. */
    public static <T> T of(Class<T> type, Map<String, String> environment) {
        ConfigurationProperties properties =
                AnnotatedElementUtils.findMergedAnnotation(type, ConfigurationProperties.class);
        if (properties == null) {
            throw new IllegalArgumentException(type + " is not a @ConfigurationProperties record");
        }
        return binder(environment).bindOrCreate(properties.prefix(), type);
    }

    /** A binder that sees {@code environment} as the process's environment variables, and nothing else. */
    public static Binder binder(Map<String, String> environment) {
        StandardEnvironment spring = new StandardEnvironment();
        spring.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        spring.getPropertySources()
                .replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                new HashMap<String, Object>(environment)));
        return Binder.get(spring);
    }
}
