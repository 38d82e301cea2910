package dev.deploypipeline.deploy.sandbox;

import dev.deploypipeline.deploy.egress.EgressGate;
import dev.deploypipeline.deploy.egress.EgressSettings;
import dev.deploypipeline.deploy.sandbox.SandboxSettings.Isolation;
import dev.deploypipeline.network.AddressPolicy;
import dev.deploypipeline.network.HostResolver;
import dev.deploypipeline.testing.BuildFolders;
import dev.deploypipeline.testing.NpmRegistry;
import java.nio.file.Path;
import java.util.List;
import org.springframework.util.unit.DataSize;

/**
 * Sandboxes for tests, as the service makes them at start: over a work folder the builds' uids can reach, with
 * a real network gate that lets builds reach this machine's npm registry (read from npm at run time) and refuses
 * the test's own servers like any private address.
 */
public final class TestSandbox {

    private TestSandbox() {
    }

    /** The service's defaults: full isolation, as on every machine that can give it. */
    public static SandboxSettings defaults() {
        return new SandboxSettings(Isolation.FULL, null, null, 0, null, SandboxSettings.DEFAULT_INHERITED,
                List.of(NpmRegistry.hostAndPort()));
    }

    public static SandboxSettings withLimits(DataSize memory, int maxProcesses, DataSize maxDisk) {
        SandboxSettings defaults = defaults();
        return new SandboxSettings(defaults.isolation(), defaults.uids(), memory, maxProcesses, maxDisk,
                defaults.inheritEnv(), defaults.egressAllowedHosts());
    }

    /** The defaults, with more hosts allowlisted besides the registry. */
    public static SandboxSettings allowing(String... hosts) {
        SandboxSettings defaults = defaults();
        List<String> allowed = new java.util.ArrayList<>(defaults.egressAllowedHosts());
        allowed.addAll(List.of(hosts));
        return new SandboxSettings(defaults.isolation(), defaults.uids(), defaults.memory(), defaults.maxProcesses(),
                defaults.maxDisk(), defaults.inheritEnv(), allowed);
    }

    public static SandboxSettings withoutIsolation() {
        SandboxSettings defaults = defaults();
        return new SandboxSettings(Isolation.NONE, defaults.uids(), defaults.memory(), defaults.maxProcesses(),
                defaults.maxDisk(), defaults.inheritEnv(), defaults.egressAllowedHosts());
    }

    public static BuildSandbox full(Path workDir) {
        return start(defaults(), workDir);
    }

    public static BuildSandbox start(SandboxSettings settings, Path workDir) {
        return start(settings, workDir, List.of());
    }

    /** @param pipelineServices {@code host:port} of the Redis and S3 the test's service uses, refused to builds */
    public static BuildSandbox start(SandboxSettings settings, Path workDir, List<String> pipelineServices) {
        return BuildSandbox.start(settings, BuildFolders.reachable(workDir), gate(settings, pipelineServices),
                System.getenv("PATH"), NpmRegistry.serviceEnvironment());
    }

    /** The gate of the service, which refuses what is not public or allowlisted, and the pipeline's own servers. */
    public static NetworkGate gate(SandboxSettings settings, List<String> pipelineServices) {
        EgressGate gate = new EgressGate(new AddressPolicy(settings.egressAllowedHosts(), HostResolver.SYSTEM),
                pipelineServices, EgressSettings.DEFAULTS);
        return gate::open;
    }
}
