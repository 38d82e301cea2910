package dev.deploypipeline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The npm registry this machine's builds install from, as {@code npm config get registry} says, read when the
 * tests run: a build's network gate must let it through when it is not on a public address (a mirror on a
 * private network, say), so tests put it in {@code BUILD_EGRESS_ALLOWED_HOSTS}. No file names it.
 */
public final class NpmRegistry {

    private static volatile String url;

    private NpmRegistry() {}

    /** The registry's URL, as npm has it. */
    public static String url() {
        String known = url;
        if (known == null) {
            known = npmConfig("registry");
            url = known;
        }
        return known;
    }

    /** {@code host} or {@code host:port} of the registry, for an allowlist. */
    public static String hostAndPort() {
        URI registry = URI.create(url());
        return registry.getPort() == -1 ? registry.getHost() : registry.getHost() + ":" + registry.getPort();
    }

    /**
     * This service's environment as an operator of this machine sets it: corepack fetches yarn and pnpm from
     * the npm registry builds may reach ({@code COREPACK_NPM_REGISTRY}, which {@code BUILD_INHERIT_ENV} passes on).
     */
    public static java.util.Map<String, String> serviceEnvironment() {
        java.util.Map<String, String> environment = new java.util.HashMap<>(System.getenv());
        environment.put("COREPACK_NPM_REGISTRY", url().replaceAll("/+$", ""));
        return environment;
    }

    private static String npmConfig(String name) {
        try {
            Process npm = new ProcessBuilder("npm", "config", "get", name)
                    .redirectErrorStream(true)
                    .start();
            String value = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!npm.waitFor(60, TimeUnit.SECONDS) || npm.exitValue() != 0 || value.isEmpty()) {
                throw new IllegalStateException("`npm config get " + name + "` failed: " + value
                        + " (install Node and npm: apt-get install nodejs npm)");
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("npm is not on PATH (apt-get install nodejs npm)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
