package dev.deploypipeline.testing;

import dev.deploypipeline.redis.LuaScript;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every Lua script a module's main classes hold (their static {@link LuaScript} fields), and a reading of each that
 * finds a key it touches without having it in KEYS: a Redis Cluster sends a script to the node of its KEYS, so a
 * key named otherwise (a literal, from ARGV, or glued together with {@code ..}) may live on another node, and a
 * {@code {tag}} prefix cannot reach it.
 */
public final class LuaScripts {

    private static final Pattern CALL = Pattern.compile("redis\\.p?call\\(\\s*'([A-Za-z]+)'\\s*(?:,\\s*([^,)]+))?");
    private static final Pattern ASSIGNMENT = Pattern.compile("local\\s+([\\w\\s,]+?)\\s*=\\s*([^\\n]+)");
    private static final Pattern FROM_KEYS = Pattern.compile("KEYS\\[[^\\]]+]");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_]\\w*");
    // Their first argument is not a key: a channel, or nothing.
    private static final Set<String> KEYLESS = Set.of("PUBLISH", "TIME");

    private LuaScripts() {}

    /**
     * {@code Class.FIELD} → the script, for every static LuaScript field of the main classes (those not in a
     * {@code test-classes} folder) under {@code rootPackage}, in folders or jars of the class path.
     */
    public static Map<String, LuaScript> in(String rootPackage) {
        Map<String, LuaScript> scripts = new TreeMap<>();
        for (String name : mainClassNames(rootPackage)) {
            Class<?> type = load(name);
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == LuaScript.class) {
                    scripts.put(type.getSimpleName() + "." + field.getName(), read(field));
                }
            }
        }
        return scripts;
    }

    private static Set<String> mainClassNames(String rootPackage) {
        String folder = rootPackage.replace('.', '/');
        Set<String> names = new TreeSet<>();
        try {
            for (URL root : Collections.list(LuaScripts.class.getClassLoader().getResources(folder))) {
                if (root.getPath().contains("/test-classes/")) {
                    continue;
                }
                if ("jar".equals(root.getProtocol())) {
                    JarURLConnection jar = (JarURLConnection) root.openConnection();
                    try (JarFile file = jar.getJarFile()) {
                        file.stream()
                                .map(JarEntry::getName)
                                .filter(entry -> entry.startsWith(folder))
                                .forEach(entry -> addClass(names, entry));
                    }
                } else {
                    Path base = Path.of(root.toURI());
                    Path classes =
                            base.getRoot().resolve(base.subpath(0, base.getNameCount() - folder.split("/").length));
                    try (Stream<Path> files = Files.walk(base)) {
                        files.forEach(
                                file -> addClass(names, classes.relativize(file).toString()));
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }

    private static void addClass(Set<String> names, String path) {
        if (path.endsWith(".class") && !path.contains("$")) {
            names.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, LuaScripts.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("cannot load " + name, e);
        }
    }

    private static LuaScript read(Field field) {
        try {
            field.setAccessible(true);
            return (LuaScript) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each call of {@code source} whose key is not from KEYS (nor a variable or parameter holding one of them). */
    public static List<String> keysNotDeclared(String source) {
        Set<String> fromArgv = new HashSet<>();
        Matcher assignment = ASSIGNMENT.matcher(source);
        while (assignment.find()) {
            String[] names = assignment.group(1).split(",");
            String[] values = assignment.group(2).split(",");
            for (int i = 0; i < names.length; i++) {
                String value = i < values.length ? values[i].strip() : "";
                if (!FROM_KEYS.matcher(value).lookingAt()) {
                    fromArgv.add(names[i].strip());
                }
            }
        }
        List<String> undeclared = new ArrayList<>();
        Matcher call = CALL.matcher(source);
        while (call.find()) {
            String command = call.group(1).toUpperCase(java.util.Locale.ROOT);
            String key = call.group(2) == null ? "" : call.group(2).strip();
            if (KEYLESS.contains(command)) {
                continue;
            }
            boolean declared =
                    FROM_KEYS.matcher(key).matches() || (NAME.matcher(key).matches() && !fromArgv.contains(key));
            if (!declared) {
                undeclared.add(call.group());
            }
        }
        return undeclared;
    }
}
