package dev.deploypipeline.deploy.egress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.deploy.egress.RelayProcess.Finished;
import dev.deploypipeline.network.AddressPolicy;
import dev.deploypipeline.network.HostResolver;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * npm and corepack through relay and gate to this machine's npm registry, the one destination off this machine
 * the egress tests reach. The registry is read from npm's configuration at run time; it resolves to an address
 * that is not public here, so it passes only when allowlisted.
 */
@Timeout(180)
class RegistryThroughRelayTest {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    private static URI registry;

    @TempDir
    Path folder;

    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private RelayProcess relay;
    private Map<String, String> environment;

    @BeforeAll
    static void readTheRegistry() throws IOException, InterruptedException {
        Process npm = new ProcessBuilder("npm", "config", "get", "registry")
                .redirectErrorStream(true)
                .start();
        String answer = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(npm.waitFor(60, TimeUnit.SECONDS)).isTrue();
        registry = URI.create(answer.endsWith("/") ? answer : answer + "/");
    }

    @BeforeEach
    void privateHomeAndCaches() throws IOException {
        relay = new RelayProcess(folder);
        Path home = Files.createDirectories(folder.resolve("home"));
        environment = new HashMap<>(Map.of(
                "HOME",
                home.toString(),
                "npm_config_cache",
                folder.resolve("npm-cache").toString(),
                "npm_config_update_notifier",
                "false",
                "npm_config_fetch_retries",
                "0",
                "COREPACK_HOME",
                folder.resolve("corepack").toString(),
                "COREPACK_ENABLE_DOWNLOAD_PROMPT",
                "0",
                "COREPACK_NPM_REGISTRY",
                registry.toString().replaceAll("/$", ""),
                // This machine's registry serves metadata without signatures, which corepack would check.
                "COREPACK_INTEGRITY_KEYS",
                "0"));
    }

    /** npm itself, and corepack fetching pnpm (each with the version it prints). */
    static Stream<Arguments> registryClients() {
        return Stream.of(
                Arguments.of(
                        "npm",
                        List.of("npm", "view", "is-number", "version", "--registry", registry.toString()),
                        "[0-9]+\\.[0-9]+\\.[0-9]+"),
                Arguments.of("corepack", List.of("corepack", "pnpm@9", "--version"), "9\\.[0-9]+\\.[0-9]+"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registryClients")
    void reachesTheRegistryThroughTheGateWhenItIsAllowlisted(String client, List<String> command, String version)
            throws IOException, InterruptedException {
        Gateway gateway = open(List.of(registryEntry()));

        Finished finished = run(gateway, command);

        assertThat(finished.exitCode()).as(finished.errors()).isZero();
        assertThat(finished.output().strip()).matches(version);
        assertThat(refusals).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registryClients")
    void isRefusedTheRegistryWhenItIsNotAllowlisted(String client, List<String> command, String version)
            throws IOException, InterruptedException {
        Gateway gateway = open(List.of());

        Finished finished = run(gateway, command);

        assertThat(finished.exitCode()).isNotZero();
        assertThat(refusals).isNotEmpty().allMatch(line -> line.startsWith(refusalOfTheRegistry()));
    }

    private Gateway open(List<String> allowed) throws IOException {
        EgressGate gate =
                new EgressGate(new AddressPolicy(allowed, HostResolver.SYSTEM), List.of(), EgressSettings.DEFAULTS);
        return gate.open("registry-test", folder.resolve("gate.sock"), refusals::add);
    }

    private Finished run(Gateway gateway, List<String> command) throws IOException, InterruptedException {
        try (gateway) {
            return relay.run(gateway.socket(), environment, COMMAND_TIMEOUT, command);
        }
    }

    private static String registryEntry() {
        return registry.getHost() + ":" + port();
    }

    private static String refusalOfTheRegistry() {
        return "[network] refused a connection to " + registryEntry() + ": host " + registry.getHost() + " resolves to";
    }

    private static int port() {
        return registry.getPort() != -1 ? registry.getPort() : "https".equals(registry.getScheme()) ? 443 : 80;
    }
}
