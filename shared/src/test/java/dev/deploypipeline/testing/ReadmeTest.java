package dev.deploypipeline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the documentation tests read the README: which tables count for a service, and what a default is. */
class ReadmeTest {

    @Test
    void aServicesSettingsAreTheTableEveryServiceReadsAndItsOwn() {
        assertThat(Readme.documented("deploy-service"))
                .containsEntry("REDIS_URL", "redis://127.0.0.1:6379")
                .containsEntry("BUILD_TIMEOUT", "15m")
                .doesNotContainKeys("QUEUE_MAX_LENGTH", "SITE_LOOKUP_TTL", "LOCAL_REDIS_PORT");
    }

    @Test
    void aDefaultIsOneLiteralAndAnythingElseIsNone() {
        assertThat(Readme.documented("deploy-service"))
                .containsEntry("DEPLOY_WORKERS", "")
                .containsEntry("S3_ENDPOINT", "")
                .containsEntry(
                        "BUILD_INHERIT_ENV", "NODE_EXTRA_CA_CERTS,COREPACK_NPM_REGISTRY,COREPACK_INTEGRITY_KEYS");
    }

    @Test
    void namesInOneRowAreEachDocumented() {
        assertThat(Readme.documented("request-handler")).containsKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void callsAreTheMethodAndPathOfTheCallTablesWithoutTheirQuery() {
        assertThat(Readme.documentedCalls("upload-service"))
                .contains("POST /deploy", "GET /status", "GET /deployments/{id}/logs", "POST /webhooks/github")
                .noneMatch(call -> call.contains("?"));
        assertThat(Readme.documentedCalls("request-handler")).isEmpty();
    }

    @Test
    void aPropertyIsNamedAsItsVariable() {
        assertThat(DocumentedSettings.variable("fetch.io-timeout")).isEqualTo("FETCH_IO_TIMEOUT");
        assertThat(DocumentedSettings.variable("build.log.max-size")).isEqualTo("BUILD_LOG_MAX_SIZE");
        assertThat(DocumentedSettings.call("GET", "/projects/{name}/deployments"))
                .isEqualTo("GET /projects/{}/deployments");
    }
}
