package dev.deploypipeline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Controller;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The settings a service documents and the settings it binds, each as variable name to default ({@code ""} for
 * none, a default that is not one literal value, or an empty one), so a test can hold the README's tables against
 * the running service.
 *
 * <p>The README's side is its section {@code ## Services}: the table every service reads, then the tables under
 * the service's own {@code ### name} heading. A default written as one {@code `literal`} is that literal; anything
 * else ("empty", "unset", "number of cores") is no literal default. The service's side is the settings records
 * bound in its context, with their {@code @DefaultValue}s as {@code spring-configuration-metadata.json} has them,
 * each property named as its variable ({@code fetch.io-timeout} is {@code FETCH_IO_TIMEOUT}, which relaxed binding
 * maps back), and Spring's own {@code server.port} and {@code server.address} as the service's
 * {@code application.properties} sets them.
 */
public final class DocumentedSettings {

    /** Read by the AWS SDK's credential chain, not by the pipeline. */
    public static final Set<String> READ_BY_THE_AWS_SDK = Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");

    private static final Set<String> SPRINGS_OWN = Set.of("server.port", "server.address");
    private static final Pattern NAME = Pattern.compile("`([A-Z][A-Z0-9_]*)`");
    private static final Pattern LITERAL = Pattern.compile("`([^`]*)`");
    private static final Pattern CALL = Pattern.compile("`(GET|HEAD|POST|PUT|PATCH|DELETE) (/[^`?\\s]*)[^`]*`");

    private DocumentedSettings() {
    }

    /** The README this repository ships, found from a module's folder, where Maven runs its tests. */
    public static List<String> readme() {
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            Path readme = folder.resolve("README.md");
            if (Files.isRegularFile(readme) && Files.isDirectory(folder.resolve("shared"))) {
                try {
                    return Files.readAllLines(readme, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("no README.md above " + Path.of("").toAbsolutePath());
    }

    /** Every variable the README documents for {@code service}, and its default; a variable documented twice fails. */
    public static Map<String, String> documented(String service) {
        Map<String, String> settings = new TreeMap<>();
        for (List<String> row : settingsRows(service)) {
            String defaultValue = literal(row.get(row.size() - 1));
            Matcher names = NAME.matcher(row.get(0));
            while (names.find()) {
                if (settings.put(names.group(1), defaultValue) != null) {
                    throw new AssertionError(names.group(1) + " is documented twice for " + service);
                }
            }
        }
        return settings;
    }

    /** Every {@code METHOD /path} in the first column of the README's {@code | call | …} tables of {@code service}. */
    public static Set<String> documentedCalls(String service) {
        Set<String> calls = new TreeSet<>();
        for (List<String> table : tables(subsection(section("## Services"), service))) {
            if (header(table).get(0).equals("call")) {
                for (String line : table.subList(2, table.size())) {
                    Matcher call = CALL.matcher(cells(line).get(0));
                    while (call.find()) {
                        calls.add(call.group(1) + " " + call.group(2));
                    }
                }
            }
        }
        return calls;
    }

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
        SPRINGS_OWN.stream().filter(application::containsKey)
                .forEach(name -> settings.put(variable(name), application.getProperty(name)));
        return settings;
    }

    /**
     * Fails unless the README documents for {@code service} exactly the variables {@code context} binds (less those
     * the AWS SDK reads itself), each with the default it binds.
     */
    public static void assertDocumented(String service, ApplicationContext context) {
        Map<String, String> bound = bound(context);
        Map<String, String> documented = documented(service);
        READ_BY_THE_AWS_SDK.forEach(documented::remove);

        assertThat(documented.keySet()).as("the README's %s settings (left) and what it binds", service)
                .containsExactlyInAnyOrderElementsOf(bound.keySet());
        assertThat(documented).as("the defaults the README gives for %s (left) and what it binds", service)
                .isEqualTo(bound);
    }

    /** Fails if {@code context} has a controller of the pipeline's, or the README an API table for {@code service}. */
    public static void assertServesNoApi(String service, ApplicationContext context) {
        assertThat(context.getBeansWithAnnotation(Controller.class).values()).as("controllers of %s", service)
                .noneMatch(controller -> controller.getClass().getName().startsWith("dev.deploypipeline."));
        assertThat(documentedCalls(service)).as("calls the README documents for %s", service).isEmpty();
    }

    /** The environment variable Spring binds to {@code property}: {@code fetch.io-timeout} is {@code FETCH_IO_TIMEOUT}. */
    public static String variable(String property) {
        return property.replace('.', '_').replace('-', '_').toUpperCase(java.util.Locale.ROOT);
    }

    private static String literal(String cell) {
        Matcher literal = LITERAL.matcher(cell.strip());
        return literal.matches() ? literal.group(1) : "";
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
        } else if (property.path("type").asString().startsWith("java.util.List<") && value.asString().startsWith("[")) {
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

    /** The rows of the tables headed {@code | variable | … |}: the one every service reads, then the service's. */
    private static List<List<String>> settingsRows(String service) {
        List<String> services = section("## Services");
        int firstSubsection = indexOfHeading(services, "### ");
        List<List<String>> tables = new ArrayList<>(tables(services.subList(0, firstSubsection)));
        tables.addAll(tables(subsection(services, service)));
        return tables.stream().filter(table -> header(table).get(0).equals("variable"))
                .flatMap(table -> table.subList(2, table.size()).stream().map(DocumentedSettings::cells))
                .toList();
    }

    private static List<String> section(String heading) {
        List<String> readme = readme();
        int start = readme.indexOf(readme.stream().filter(line -> line.equals(heading)).findFirst()
                .orElseThrow(() -> new AssertionError("the README has no " + heading)));
        List<String> rest = readme.subList(start + 1, readme.size());
        return rest.subList(0, indexOfHeading(rest, "## "));
    }

    private static List<String> subsection(List<String> section, String service) {
        int start = -1;
        for (int i = 0; i < section.size(); i++) {
            if (section.get(i).startsWith("### " + service + " ") || section.get(i).equals("### " + service)) {
                start = i;
            }
        }
        if (start < 0) {
            throw new AssertionError("the README's Services section has no ### " + service);
        }
        List<String> rest = section.subList(start + 1, section.size());
        return rest.subList(0, indexOfHeading(rest, "### "));
    }

    private static int indexOfHeading(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return lines.size();
    }

    /** Each run of lines starting with {@code |}, the header and its rule included. */
    private static List<List<String>> tables(List<String> lines) {
        List<List<String>> tables = new ArrayList<>();
        List<String> table = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("|")) {
                table.add(line);
            } else if (!table.isEmpty()) {
                tables.add(table);
                table = new ArrayList<>();
            }
        }
        if (!table.isEmpty()) {
            tables.add(table);
        }
        return tables;
    }

    private static List<String> header(List<String> table) {
        return cells(table.get(0));
    }

    private static List<String> cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        return List.of(inner.split("\\|", -1)).stream().map(String::strip).toList();
    }
}
