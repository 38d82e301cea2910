package dev.deploypipeline.deploy.sandbox;

import java.util.List;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How builds are isolated and bounded ({@code BUILD_ISOLATION}, {@code BUILD_UIDS}, {@code BUILD_MEMORY},
 * {@code BUILD_MAX_PROCESSES}, {@code BUILD_CPUS}, {@code BUILD_MAX_DISK}, {@code BUILD_INHERIT_ENV},
 * {@code BUILD_EGRESS_ALLOWED_HOSTS}).
 *
 * @param isolation {@code full}: each build as a uid of its own, in bubblewrap with namespaces of its own, its
 *     network only through the egress gate, its memory, processes and CPU time held by a cgroup and its disk by
 *     a file system of its own; the service refuses to start where the machine cannot give all of it. {@code none}:
 *     the operator's explicit choice for a machine that cannot; the README says what then holds
 * @param uids the uids builds run as when this service is root, {@code first-last}, one per build running at
 *     once on this machine; no user needs to exist for them; above every uid {@code useradd} hands out, users and
 *     sub-uids alike ({@code SUB_UID_MAX} is 600100000)
 * @param memory the most memory (swap included) a build's processes may use together
 * @param maxProcesses the most processes and threads a build may have at once
 * @param cpus how many cores' time a build's processes may use together (in every 100 ms, {@code cpus} times
 *     100 ms), however many they are: at least 0.01, the kernel's smallest quota; {@code null} (the default) caps
 *     nothing, and a build then shares the CPU with the others and the service by its cgroup's equal weight
 * @param maxDisk the size of a build's own disk: its sources, HOME, /tmp and output together
 * @param inheritEnv names of this service's variables that builds get too, for settings of this machine and
 *     its network: a proxy's CA bundle, where and how corepack fetches yarn and pnpm; never a secret
 * @param egressAllowedHosts {@code host} or {@code host:port} entries a build may reach although they are not
 *     on public addresses: the private registries a machine needs (never Redis or S3)
 */
@ConfigurationProperties("build")
public record SandboxSettings(
        @DefaultValue("full") Isolation isolation,
        @DefaultValue("900000000-900000999") UidRange uids,
        @DefaultValue("2GB") DataSize memory,
        @DefaultValue("1024") int maxProcesses,
        Double cpus,
        @DefaultValue("4GB") DataSize maxDisk,

        @DefaultValue({"NODE_EXTRA_CA_CERTS", "COREPACK_NPM_REGISTRY", "COREPACK_INTEGRITY_KEYS"})
        List<String> inheritEnv,

        @DefaultValue List<String> egressAllowedHosts) {

    /** How much of the machine stands between a build and everything else. */
    public enum Isolation {
        FULL,
        NONE
    }

    /** A hundredth of a core: the kernel takes no quota below 1 ms in each 100 ms. */
    static final double MIN_CPUS = 0.01;

    public SandboxSettings {
        Objects.requireNonNull(isolation, "BUILD_ISOLATION");
        Objects.requireNonNull(uids, "BUILD_UIDS");
        positive(memory, "BUILD_MEMORY");
        if (maxProcesses < 1) {
            throw new IllegalArgumentException("BUILD_MAX_PROCESSES must be at least 1: " + maxProcesses);
        }
        if (cpus != null && (!(cpus >= MIN_CPUS) || Double.isInfinite(cpus))) {
            throw new IllegalArgumentException(
                    "BUILD_CPUS must be a number of cores of at least " + MIN_CPUS + " (0.5, 2): " + cpus);
        }
        positive(maxDisk, "BUILD_MAX_DISK");
        inheritEnv = stripped(inheritEnv);
        egressAllowedHosts = stripped(egressAllowedHosts);
    }

    private static void positive(DataSize size, String name) {
        if (size == null || size.toBytes() <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + size);
        }
    }

    private static List<String> stripped(List<String> entries) {
        return entries == null
                ? List.of()
                : entries.stream()
                        .map(String::strip)
                        .filter(entry -> !entry.isEmpty())
                        .toList();
    }
}
