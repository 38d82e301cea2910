package dev.deploypipeline.upload;

import dev.deploypipeline.testing.PipelineServers;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Gives a {@link RunningApi} class's own servers (its static {@link PipelineServers} field) to its Spring context,
 * as a {@code @DynamicPropertySource} of the class that calls {@link PipelineServers#register} would: the values are
 * read when the service first asks for them. Named in {@code META-INF/spring.factories}; other test classes are left
 * as they are.
 */
final class RunningApiServers implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(
            Class<?> testClass, List<ContextConfigurationAttributes> configurationAttributes) {
        return RunningApi.class.isAssignableFrom(testClass) ? new Registration(serversOf(testClass)) : null;
    }

    private static PipelineServers serversOf(Class<?> testClass) {
        for (Field field : testClass.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == PipelineServers.class) {
                try {
                    field.setAccessible(true);
                    return (PipelineServers) field.get(null);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException(testClass.getName() + " has no static PipelineServers field");
    }

    /** One class's servers; equal for the same servers only, so that each class has a context of its own. */
    private record Registration(PipelineServers servers) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration configuration) {
            Map<String, Supplier<Object>> values = new LinkedHashMap<>();
            servers.register(values::put);
            context.getEnvironment().getPropertySources().addFirst(new ReadWhenAsked(values));
        }
    }

    private static final class ReadWhenAsked extends MapPropertySource {

        private final Map<String, Supplier<Object>> values;

        ReadWhenAsked(Map<String, Supplier<Object>> values) {
            super("pipelineServers", Map.copyOf(values));
            this.values = values;
        }

        @Override
        public Object getProperty(String name) {
            Supplier<Object> value = values.get(name);
            return value == null ? null : value.get();
        }
    }
}
