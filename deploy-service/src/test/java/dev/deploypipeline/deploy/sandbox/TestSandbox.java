package dev.deploypipeline.deploy.sandbox;

import dev.deploypipeline.deploy.egress.EgressGate;
import dev.deploypipeline.deploy.egress.EgressSettings;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.network.AddressPolicy;
import dev.deploypipeline.network.HostResolver;
import dev.deploypipeline.testing.BoundSettings;
import dev.deploypipeline.testing.BuildFolders;
import dev.deploypipeline.testing.NpmRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

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

    /**
     * The counters of {@code cpu.stat} ({@code nr_throttled}, {@code throttled_time}…) of the cgroup that holds
     * the CPU time of the build of {@code id} on this machine, while there is one: the kernel's own account of
     * how often it held the build back.
     */
    public static Optional<Map<String, Long>> cpuStat(DeploymentId id) {
        try (Stream<Path> groups = Files.list(CgroupLimits.detect().cpuBuilds())) {
            Optional<Path> group = groups.filter(
                            folder -> folder.getFileName().toString().startsWith(id + "-"))
                    .findFirst();
            if (group.isEmpty()) {
                return Optional.empty();
            }
            Map<String, Long> counters = new LinkedHashMap<>();
            for (String line : Files.readAllLines(group.get().resolve("cpu.stat"))) {
                String[] fields = line.strip().split("\\s+");
                if (fields.length == 2) {
                    counters.put(fields[0], Long.parseLong(fields[1]));
                }
            }
            return Optional.of(counters);
        } catch (IOException e) {
            return Optional.empty(); // no build's cgroup yet, or no more
        }
    }
}
