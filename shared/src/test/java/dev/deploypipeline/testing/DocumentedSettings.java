package dev.deploypipeline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Controller;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The settings a service binds, each as variable name to default ({@code ""} for none, or an empty one), held
 * against what the {@link Readme} documents for it. The service's side is the settings records
 * bound in its context, with their {@code @DefaultValue}s as {@code spring-configuration-metadata.json} has them,
 * each property named as its variable ({@code fetch.io-timeout} is {@code FETCH_IO_TIMEOUT}, which relaxed binding
 * maps back), and Spring's own {@code server.port} and {@code server.address} as the service's
 * {@code application.properties} sets them.
 */
public final class DocumentedSettings {

    /** Read by the AWS SDK's credential chain, not by the pipeline. */
    public static final Set<String> READ_BY_THE_AWS_SDK = Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");

    private static final Set<String> SPRINGS_OWN = Set.of("server.port", "server.address");

    private DocumentedSettings() {}

    /** A path with its variables unnamed, {@code /deployments/{}/logs}, to compare a README's with a mapping's. */
    public static String call(String method, String path) {
        return method + " " + path.replaceAll("\\{[^}]*}", "{}");
    }

    /**
     * Every variable {@code context} binds, and its default: the properties of the pipeline's settings records bound
     * there, and the Spring settings its {@code application.properties} sets.
     */
    public static Map<String, String> bound(ApplicationContext context) {
        Set<String> recordTypes = ConfigurationPropertiesBean.getAll(context).values().stream()
                .map(bean -> bean.getInstance().getClass().getName())
                .filter(type -> type.startsWith("dev.deploypipeline."))
                .collect(Collectors.toSet());
        Map<String, String> settings = new TreeMap<>();
        for (JsonNode property : metadataProperties(context.getClassLoader())) {
            if (recordTypes.contains(property.path("sourceType").asString())) {
                settings.put(variable(property.path("name").asString()), metadataDefault(property));
            }
        }
        Properties application = applicationProperties(context.getClassLoader());
        SPRINGS_OWN.stream()
                .filter(application::containsKey)
                .forEach(name -> settings.put(variable(name), application.getProperty(name)));
        return settings;
    }

    /**
     * Fails unless the README documents for {@code service} exactly the variables {@code context} binds (less those
     * the AWS SDK reads itself), each with the default it binds.
     */
    public static void assertDocumented(String service, ApplicationContext context) {
        Map<String, String> bound = bound(context);
        Map<String, String> documented = Readme.documented(service);
        READ_BY_THE_AWS_SDK.forEach(documented::remove);

        assertThat(documented.keySet())
                .as("the README's %s settings (left) and what it binds", service)
                .containsExactlyInAnyOrderElementsOf(bound.keySet());
        assertThat(documented)
                .as("the defaults the README gives for %s (left) and what it binds", service)
                .isEqualTo(bound);
    }

    /** Fails if {@code context} has a controller of the pipeline's, or the README an API table for {@code service}. */
    public static void assertServesNoApi(String service, ApplicationContext context) {
        assertThat(context.getBeansWithAnnotation(Controller.class).values())
                .as("controllers of %s", service)
                .noneMatch(controller -> controller.getClass().getName().startsWith("dev.deploypipeline."));
        assertThat(Readme.documentedCalls(service))
                .as("calls the README documents for %s", service)
                .isEmpty();
    }

    /** The environment variable Spring binds to {@code property}: {@code fetch.io-timeout} is {@code FETCH_IO_TIMEOUT}. */
    public static String variable(String property) {
        return property.replace('.', '_').replace('-', '_').toUpperCase(java.util.Locale.ROOT);
    }

    /** A list's default is written as the variable is: {@code a,b}, where the metadata has {@code [a, b]}. */
    private static String metadataDefault(JsonNode property) {
        JsonNode value = property.path("defaultValue");
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        List<String> items = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(item -> items.add(item.asString()));
        } else if (property.path("type").asString().startsWith("java.util.List<")
                && value.asString().startsWith("[")) {
            String list = value.asString();
            items.addAll(List.of(list.substring(1, list.length() - 1).split(", ")));
        } else {
            return value.asString();
        }
        return String.join(",", items);
    }

    private static List<JsonNode> metadataProperties(ClassLoader classLoader) {
        JsonMapper json = JsonMapper.builder().build();
        List<JsonNode> properties = new ArrayList<>();
        try {
            for (URL file : Collections.list(classLoader.getResources("META-INF/spring-configuration-metadata.json"))) {
                try (InputStream in = file.openStream()) {
                    json.readTree(in).path("properties").forEach(properties::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static Properties applicationProperties(ClassLoader classLoader) {
        Properties properties = new Properties();
        try (InputStream in = classLoader.getResourceAsStream("application.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
