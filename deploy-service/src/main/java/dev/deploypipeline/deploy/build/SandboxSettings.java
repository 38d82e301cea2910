package dev.deploypipeline.deploy.build;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How builds are contained (see application.properties for the variables).
 *
 * @param mode {@code none}: each build in a PID namespace of its own where the machine allows it (as root),
 *     else in a session of its own; {@code bwrap}: inside bubblewrap, where only the build's folder is writable
 *     and other builds' folders are hidden ({@code BUILD_SANDBOX})
 * @param user the unprivileged user builds run as when this service runs as root ({@code BUILD_USER}); the
 *     operator creates it ({@code useradd --system deploybuild})
 * @param inheritEnv names of this service's variables that builds get too, for settings of this machine and
 *     its network: a proxy's CA bundle, where and how corepack fetches yarn and pnpm ({@code BUILD_INHERIT_ENV});
 *     never a secret
 */
@ConfigurationProperties("deploy.sandbox")
public record SandboxSettings(Mode mode, String user, List<String> inheritEnv) {

    public static final String DEFAULT_USER = "deploybuild";
    public static final List<String> DEFAULT_INHERITED =
            List.of("NODE_EXTRA_CA_CERTS", "COREPACK_NPM_REGISTRY", "COREPACK_INTEGRITY_KEYS");

    public enum Mode {
        NONE,
        BWRAP
    }

    public SandboxSettings {
        mode = mode == null ? Mode.NONE : mode;
        user = user == null || user.isBlank() ? DEFAULT_USER : user.strip();
        inheritEnv = inheritEnv == null ? List.of()
                : inheritEnv.stream().map(String::strip).filter(name -> !name.isEmpty()).toList();
    }
}
