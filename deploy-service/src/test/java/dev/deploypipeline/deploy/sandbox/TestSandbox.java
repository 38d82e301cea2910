package dev.deploypipeline.deploy.sandbox;

import dev.deploypipeline.deploy.egress.EgressGate;
import dev.deploypipeline.deploy.egress.EgressSettings;
import dev.deploypipeline.network.AddressPolicy;
import dev.deploypipeline.network.HostResolver;
import dev.deploypipeline.testing.BoundSettings;
import dev.deploypipeline.testing.BuildFolders;
import dev.deploypipeline.testing.NpmRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sandboxes for tests, as the service makes them at start: over a work folder the builds' uids can reach, with
 * a real network gate that lets builds reach this machine's npm registry (read from npm at run time) and refuses
 * the test's own servers like any private address.
 */
public final class TestSandbox {

    private TestSandbox() {}

    /** The service's defaults, as a service with only the registry allowlisted binds them: full isolation. */
    public static SandboxSettings defaults() {
        return bound(Map.of());
    }

    public static SandboxSettings withoutIsolation() {
        return bound(Map.of("BUILD_ISOLATION", "none"));
    }

    /** Bound from {@code variables} and {@code BUILD_EGRESS_ALLOWED_HOSTS} naming this machine's npm registry. */
    private static SandboxSettings bound(Map<String, String> variables) {
        Map<String, String> environment = new HashMap<>(variables);
        environment.put("BUILD_EGRESS_ALLOWED_HOSTS", NpmRegistry.hostAndPort());
        return BoundSettings.of(SandboxSettings.class, environment);
    }

    public static BuildSandbox full(Path workDir) {
        return start(defaults(), workDir);
    }

    public static BuildSandbox start(SandboxSettings settings, Path workDir) {
        return start(settings, workDir, List.of());
    }

    /** @param pipelineServices {@code host:port} of the Redis and S3 the test's service uses, refused to builds */
    public static BuildSandbox start(SandboxSettings settings, Path workDir, List<String> pipelineServices) {
        return BuildSandbox.start(
                settings,
                BuildFolders.reachable(workDir),
                gate(settings, pipelineServices),
                System.getenv("PATH"),
                NpmRegistry.serviceEnvironment());
    }

    /** The gate of the service, which refuses what is not public or allowlisted, and the pipeline's own servers. */
    public static NetworkGate gate(SandboxSettings settings, List<String> pipelineServices) {
        EgressGate gate = new EgressGate(
                new AddressPolicy(settings.egressAllowedHosts(), HostResolver.SYSTEM),
                pipelineServices,
                EgressSettings.DEFAULTS);
        return gate::open;
    }
}
