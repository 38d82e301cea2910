package dev.deploypipeline.deploy.sandbox;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * How builds are isolated and bounded (see application.properties for the variables).
 *
 * @param isolation {@code full}: each build as a uid of its own, in bubblewrap with namespaces of its own, its
 *     network only through the egress gate, its memory and processes held by a cgroup and its disk by a file
 *     system of its own; the service refuses to start where the machine cannot give all of it. {@code none}:
 *     the operator's explicit choice for a machine that cannot; the README says what then holds
 *     ({@code BUILD_ISOLATION})
 * @param uids the uids builds run as when this service is root, {@code first-last}, one per build running at
 *     once on this machine; no user needs to exist for them ({@code BUILD_UIDS})
 * @param memory the most memory a build's processes may use together ({@code BUILD_MEMORY})
 * @param maxProcesses the most processes and threads a build may have at once ({@code BUILD_MAX_PROCESSES})
 * @param maxDisk the most a build's folder (its sources, HOME and /tmp) may hold ({@code BUILD_MAX_DISK})
 * @param inheritEnv names of this service's variables that builds get too, for settings of this machine and
 *     its network: a proxy's CA bundle, where and how corepack fetches yarn and pnpm ({@code BUILD_INHERIT_ENV});
 *     never a secret
 * @param egressAllowedHosts {@code host} or {@code host:port} entries a build may reach although they are not
 *     on public addresses: the private registries a machine needs ({@code BUILD_EGRESS_ALLOWED_HOSTS})
 */
@ConfigurationProperties("deploy.sandbox")
public record SandboxSettings(Isolation isolation, UidRange uids, DataSize memory, int maxProcesses, DataSize maxDisk,
        List<String> inheritEnv, List<String> egressAllowedHosts) {

    public static final List<String> DEFAULT_INHERITED =
            List.of("NODE_EXTRA_CA_CERTS", "COREPACK_NPM_REGISTRY", "COREPACK_INTEGRITY_KEYS");

    /** How much of the machine stands between a build and everything else. */
    public enum Isolation {
        FULL,
        NONE
    }

    public SandboxSettings {
        isolation = isolation == null ? Isolation.FULL : isolation;
        uids = uids == null ? UidRange.DEFAULT : uids;
        memory = positive(memory, DataSize.ofGigabytes(2), "BUILD_MEMORY");
        maxProcesses = maxProcesses > 0 ? maxProcesses : 1024;
        maxDisk = positive(maxDisk, DataSize.ofGigabytes(4), "BUILD_MAX_DISK");
        inheritEnv = stripped(inheritEnv);
        egressAllowedHosts = stripped(egressAllowedHosts);
    }

    private static DataSize positive(DataSize size, DataSize fallback, String name) {
        if (size == null) {
            return fallback;
        }
        if (size.toBytes() <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + size);
        }
        return size;
    }

    private static List<String> stripped(List<String> entries) {
        return entries == null ? List.of()
                : entries.stream().map(String::strip).filter(entry -> !entry.isEmpty()).toList();
    }
}
