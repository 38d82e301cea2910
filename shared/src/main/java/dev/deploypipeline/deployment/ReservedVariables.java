package dev.deploypipeline.deployment;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Names a deployment's or a project's {@code env} may not set: those the pipeline sets for every build (its
 * PATH, HOME and network gate), and those that change how programs are loaded or where they are found, which
 * a stranger's request must never get near a process that runs with more rights than the build.
 */
public final class ReservedVariables {

    /** What the build is of: the branch (absent for the repository's default branch), set for every build. */
    public static final String DEPLOY_BRANCH = "DEPLOY_BRANCH";
    /** The commit the build is of. */
    public static final String DEPLOY_COMMIT = "DEPLOY_COMMIT";
    /** Where the deployment is served once deployed: its own {@code {id}} address. */
    public static final String DEPLOY_URL = "DEPLOY_URL";

    private static final Set<String> SET_BY_THE_PIPELINE = Set.of(
            "PATH",
            "HOME",
            "TMPDIR",
            "USER",
            "LOGNAME",
            "SHELL",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "NO_PROXY",
            "NPM_CONFIG_PROXY",
            "NPM_CONFIG_HTTPS_PROXY",
            "NPM_CONFIG_NOPROXY",
            "YARN_HTTP_PROXY",
            "YARN_HTTPS_PROXY",
            "COREPACK_HOME");
    private static final Set<String> LOADING = Set.of(
            "GCONV_PATH",
            "GETCONF_DIR",
            "GLIBC_TUNABLES",
            "HOSTALIASES",
            "LOCALDOMAIN",
            "LOCPATH",
            "NLSPATH",
            "RES_OPTIONS",
            "RESOLV_HOST_CONF",
            "TZDIR",
            "IFS",
            "ENV",
            "BASH_ENV",
            "CDPATH",
            "SHELLOPTS",
            "BASHOPTS",
            "PS4");
    private static final List<String> LOADING_PREFIXES = List.of("LD_", "BASH_FUNC_", "MALLOC_", "DEPLOY_");

    private ReservedVariables() {}

    /** Why {@code name} may not be set, or empty when it may. Case does not matter: the check is on the upper case. */
    public static Optional<String> refusal(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (SET_BY_THE_PIPELINE.contains(upper)) {
            return Optional.of("env " + name + " is set by the pipeline for every build and cannot be given");
        }
        if (upper.startsWith("DEPLOY_")) {
            return Optional.of("env " + name + ": names starting with DEPLOY_ are the pipeline's own");
        }
        if (LOADING.contains(upper) || LOADING_PREFIXES.stream().anyMatch(upper::startsWith)) {
            return Optional.of("env " + name + " changes how programs are loaded or found, and cannot be given");
        }
        return Optional.empty();
    }
}
