package dev.deploypipeline.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReservedVariablesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "PATH",
                "path",
                "HOME",
                "LD_PRELOAD",
                "LD_LIBRARY_PATH",
                "LD_AUDIT",
                "GCONV_PATH",
                "GLIBC_TUNABLES",
                "BASH_ENV",
                "BASH_FUNC_ls%%",
                "HTTPS_PROXY",
                "https_proxy",
                "NO_PROXY",
                "npm_config_https_proxy",
                "DEPLOY_BRANCH",
                "MALLOC_CHECK_",
                "HOSTALIASES"
            })
    void refusesNamesThatChangeHowProgramsLoadOrWhatThePipelineSets(String name) {
        assertThat(ReservedVariables.refusal(name))
                .hasValueSatisfying(reason -> assertThat(reason).contains(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NODE_ENV", "API_KEY", "VITE_API_URL", "NODE_OPTIONS", "CI", "NEXT_PUBLIC_SITE", "PATHS"})
    void allowsOrdinaryBuildVariables(String name) {
        assertThat(ReservedVariables.refusal(name)).isEmpty();
    }
}
