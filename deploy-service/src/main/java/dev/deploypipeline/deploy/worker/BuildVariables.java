package dev.deploypipeline.deploy.worker;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.deployment.ReservedVariables;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * What the build is of, as variables its commands see (as Netlify's {@code BRANCH} and {@code COMMIT_REF}):
 * {@code DEPLOY_BRANCH}, {@code DEPLOY_COMMIT} and {@code DEPLOY_URL}. None is a secret, so none is masked.
 */
@Component
class BuildVariables {

    private static final String BRANCHES = "refs/heads/";

    private final DeploymentStore deployments;

    BuildVariables(DeploymentStore deployments) {
        this.deployments = deployments;
    }

    Map<String, String> of(DeploymentId id) {
        Deployment deployment = deployments
                .find(id)
                .orElseThrow(() -> new IllegalStateException("deployment " + id + " has no record"));
        Map<String, String> variables = new LinkedHashMap<>();
        String ref = deployment.ref();
        if (ref != null && (ref.startsWith(BRANCHES) || !ref.startsWith("refs/"))) {
            variables.put(
                    ReservedVariables.DEPLOY_BRANCH, ref.substring(ref.startsWith(BRANCHES) ? BRANCHES.length() : 0));
        }
        if (deployment.commit() != null) {
            variables.put(ReservedVariables.DEPLOY_COMMIT, deployment.commit());
        }
        if (deployment.siteUrl() != null) {
            variables.put(ReservedVariables.DEPLOY_URL, deployment.siteUrl());
        }
        return variables;
    }
}
