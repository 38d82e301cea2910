package dev.deploypipeline.deploy.builder;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The package manager of a Node app: the one its {@code packageManager} field names, else the one whose lock
 * file it has, else npm. Yarn and pnpm come through corepack (shipped with Node), which fetches the version
 * the app asks for from the npm registry; their commands are put on the build's PATH in a folder of its own.
 */
enum PackageManager {
    NPM("npm", List.of("package-lock.json", "npm-shrinkwrap.json")),
    YARN("yarn", List.of("yarn.lock")),
    PNPM("pnpm", List.of("pnpm-lock.yaml"));

    /** What {@code npm ci} says when the lock file is out of step with package.json. */
    static final String NPM_LOCK_OUT_OF_STEP = "can only install packages when your package.json and package-lock.json";

    private final String command;
    private final List<String> lockFiles;

    PackageManager(String command, List<String> lockFiles) {
        this.command = command;
        this.lockFiles = lockFiles;
    }

    static PackageManager detect(Path root, JsonNode manifest) {
        String declared = manifest.path("packageManager").asString("");
        Optional<PackageManager> named = Arrays.stream(values())
                .filter(manager -> declared.toLowerCase(Locale.ROOT).startsWith(manager.command + "@"))
                .findFirst();
        if (named.isPresent()) {
            return named.get();
        }
        // pnpm and yarn first: an app moved to them may still carry an old package-lock.json.
        for (PackageManager manager : List.of(PNPM, YARN, NPM)) {
            if (manager.lockFileIn(root).isPresent()) {
                return manager;
            }
        }
        return NPM;
    }

    Optional<String> lockFileIn(Path root) {
        return lockFiles.stream()
                .filter(file -> Files.isRegularFile(root.resolve(file), LinkOption.NOFOLLOW_LINKS))
                .findFirst();
    }

    /**
     * Commands that put this manager on PATH, in the build's {@code $HOME/<tools>} (named so the command means the
     * same inside the sandbox as out); none for npm, which comes with Node.
     */
    List<BuildCommand> setUp(String tools) {
        if (this == NPM) {
            return List.of();
        }
        return List.of(BuildCommand.shell(
                BuildCommand.INSTALL, "corepack enable --install-directory \"$HOME/" + tools + "\" " + command));
    }

    /**
     * Installs the dependencies. With a lock file, npm installs exactly what it pins ({@code npm ci}) and
     * falls back to {@code npm install} when the lock file is out of step, as a build that {@code npm install}
     * passes must not fail for it. Yarn and pnpm refuse a stale lock file in CI unless told otherwise.
     */
    BuildCommand install(Path root) {
        return install(root, "", false);
    }

    /**
     * The same, preferring what a restored store holds to the network ({@code --prefer-offline}: metadata is
     * revalidated only for what the store lacks) when {@code preferOffline}. Yarn 2 and later read their cache
     * first anyway and know no such option; {@code version} is the one the app names, empty for none.
     */
    BuildCommand install(Path root, String version, boolean preferOffline) {
        List<String> offline = preferOffline ? List.of("--prefer-offline") : List.of();
        return switch (this) {
            case NPM ->
                lockFileIn(root).isEmpty()
                        ? npm("install", offline)
                        : npm("ci", offline)
                                .orWhenItPrints(
                                        NPM_LOCK_OUT_OF_STEP,
                                        "its lock file is out of step with package.json",
                                        npm("install", offline));
            case YARN ->
                step("yarn", List.of("install"), version.isEmpty() || version.startsWith("1.") ? offline : List.of());
            case PNPM -> step("pnpm", List.of("install", "--no-frozen-lockfile"), offline);
        };
    }

    private static BuildCommand npm(String install, List<String> offline) {
        return step(
                "npm",
                List.of(install),
                Stream.concat(offline.stream(), Stream.of("--no-audit", "--no-fund"))
                        .toList());
    }

    private static BuildCommand step(String command, List<String> arguments, List<String> more) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(arguments);
        all.addAll(more);
        return BuildCommand.step(BuildCommand.INSTALL, all.toArray(String[]::new));
    }

    /**
     * Where the manager keeps what it downloads, relative to the build's HOME (never {@code node_modules}): npm's
     * content cache; pnpm's store and metadata; yarn 1's cache and yarn 2+'s global one; and, for those two,
     * corepack's copy of the manager itself.
     */
    List<String> storeFolders() {
        return switch (this) {
            case NPM -> List.of(".npm/_cacache");
            case PNPM -> List.of(".local/share/pnpm/store", ".cache/pnpm", ".cache/node/corepack");
            case YARN -> List.of(".cache/yarn", ".yarn/berry/cache", ".cache/node/corepack");
        };
    }

    /** The version the app names in {@code packageManager} ({@code pnpm@9.15.9+sha512…}), empty for none. */
    String declaredVersion(JsonNode manifest) {
        String declared = manifest.path("packageManager").asString("").strip();
        if (!declared.toLowerCase(Locale.ROOT).startsWith(command + "@")) {
            return "";
        }
        String version = declared.substring(command.length() + 1).replaceFirst("\\+.*", "");
        return version.matches("[0-9A-Za-z.+-]{1,64}") ? version : "";
    }

    BuildCommand run(String script) {
        return BuildCommand.step(BuildCommand.BUILD, command, "run", script);
    }

    /** Variables the manager's commands need in a build that nobody watches. */
    Map<String, String> environment() {
        return switch (this) {
            case NPM -> Map.of();
            // Corepack would otherwise ask before it downloads the manager.
            case YARN -> Map.of("COREPACK_ENABLE_DOWNLOAD_PROMPT", "0", "YARN_ENABLE_IMMUTABLE_INSTALLS", "false");
            case PNPM -> Map.of("COREPACK_ENABLE_DOWNLOAD_PROMPT", "0");
        };
    }

    @Override
    public String toString() {
        return command;
    }
}
