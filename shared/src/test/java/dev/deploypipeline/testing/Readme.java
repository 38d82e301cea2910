package dev.deploypipeline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the README's section {@code ## Services} documents for a service: the settings of the table every service
 * reads and of the tables under the service's own {@code ### name} heading, and the calls of its {@code | call |}
 * tables. A default written as one {@code `literal`} is that literal; anything else ("empty", "unset", "number of
 * cores") is no literal default, {@code ""}.
 */
public final class Readme {

    private static final Pattern NAME = Pattern.compile("`([A-Z][A-Z0-9_]*)`");
    private static final Pattern LITERAL = Pattern.compile("`([^`]*)`");
    private static final Pattern CALL = Pattern.compile("`(GET|HEAD|POST|PUT|PATCH|DELETE) (/[^`?\\s]*)[^`]*`");

    private Readme() {}

    /** The README this repository ships, found from a module's folder, where Maven runs its tests. */
    public static List<String> lines() {
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

    private static String literal(String cell) {
        Matcher literal = LITERAL.matcher(cell.strip());
        return literal.matches() ? literal.group(1) : "";
    }

    /** The rows of the tables headed {@code | variable | … |}: the one every service reads, then the service's. */
    private static List<List<String>> settingsRows(String service) {
        List<String> services = section("## Services");
        int firstSubsection = indexOfHeading(services, "### ");
        List<List<String>> tables = new ArrayList<>(tables(services.subList(0, firstSubsection)));
        tables.addAll(tables(subsection(services, service)));
        return tables.stream()
                .filter(table -> header(table).get(0).equals("variable"))
                .flatMap(table -> table.subList(2, table.size()).stream().map(Readme::cells))
                .toList();
    }

    private static List<String> section(String heading) {
        List<String> readme = lines();
        int start = readme.indexOf(readme.stream()
                .filter(line -> line.equals(heading))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the README has no " + heading)));
        List<String> rest = readme.subList(start + 1, readme.size());
        return rest.subList(0, indexOfHeading(rest, "## "));
    }

    private static List<String> subsection(List<String> section, String service) {
        int start = -1;
        for (int i = 0; i < section.size(); i++) {
            if (section.get(i).startsWith("### " + service + " ")
                    || section.get(i).equals("### " + service)) {
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
