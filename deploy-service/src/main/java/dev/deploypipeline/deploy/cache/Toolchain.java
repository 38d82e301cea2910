package dev.deploypipeline.deploy.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The versions of the machine's Node and npm that builds run, asked once each ({@code node --version}), and its
 * OS and architecture: a store made by one may not suit another, so they are part of a cache entry's key.
 */
final class Toolchain {

    private final List<String> path;
    private final Map<String, String> versions = new ConcurrentHashMap<>();

    /** @param path the PATH builds get, where their {@code node} and {@code npm} are found */
    Toolchain(List<String> path) {
        this.path = List.copyOf(path);
    }

    /** {@code node@v20.20.2 npm@11.19.1 linux-amd64}, for a manager the app names ({@code pnpm@9.15.9}) or npm. */
    String describe(String manager) {
        String named = manager.contains("@") ? manager : manager + "@" + version(manager);
        return "node@" + version("node") + " " + named + " " + System.getProperty("os.name") + "-"
                + System.getProperty("os.arch");
    }

    private String version(String program) {
        return versions.computeIfAbsent(program, this::ask);
    }

    private String ask(String program) {
        try {
            Optional<Path> found = path.stream()
                    .map(folder -> Path.of(folder, program))
                    .filter(Files::isExecutable)
                    .findFirst();
            if (found.isEmpty()) {
                return "unknown";
            }
            ProcessBuilder builder = new ProcessBuilder(found.get().toString(), "--version").redirectErrorStream(true);
            builder.environment().put("PATH", String.join(":", path));
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return "unknown";
            }
            return output;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
