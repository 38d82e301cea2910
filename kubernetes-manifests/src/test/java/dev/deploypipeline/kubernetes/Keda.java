package dev.deploypipeline.kubernetes;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * KEDA's two objects as its documentation describes them (keda.sh, "Scaling Deployments", "Authentication" and the
 * "Redis Lists" scaler), field for field: read with unknown properties failing, a field KEDA does not document is
 * an error. Only the fields this project may use are here; KEDA has more (fallback, scalingModifiers, pod identity,
 * Vault…), and a manifest that wants one adds it here with its documented name.
 */
final class Keda {

    /** The {@code redis} trigger's metadata (Redis Lists scaler). */
    static final Set<String> REDIS_TRIGGER_METADATA = Set.of(
            "address",
            "addressFromEnv",
            "host",
            "hostFromEnv",
            "port",
            "portFromEnv",
            "username",
            "usernameFromEnv",
            "password",
            "passwordFromEnv",
            "listName",
            "listLength",
            "activationListLength",
            "enableTLS",
            "unsafeSsl",
            "databaseIndex");

    /** The parameters the Redis Lists scaler takes from a TriggerAuthentication. */
    static final Set<String> REDIS_AUTHENTICATION_PARAMETERS =
            Set.of("address", "host", "port", "username", "password", "tls", "ca", "cert", "key", "keyPassword");

    private Keda() {}

    @JsonIgnoreProperties(ignoreUnknown = false)
    record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, ScaledObjectSpec spec) {}

    record ScaledObjectSpec(
            ScaleTargetRef scaleTargetRef,
            Integer pollingInterval,
            Integer cooldownPeriod,
            Integer initialCooldownPeriod,
            Integer idleReplicaCount,
            Integer minReplicaCount,
            Integer maxReplicaCount,
            Advanced advanced,
            List<Trigger> triggers) {}

    record ScaleTargetRef(String apiVersion, String kind, String name, String envSourceContainerName) {}

    record Advanced(
            Boolean restoreToOriginalReplicaCount, HorizontalPodAutoscalerConfig horizontalPodAutoscalerConfig) {}

    record HorizontalPodAutoscalerConfig(String name, HorizontalPodAutoscalerBehavior behavior) {}

    record Trigger(
            String type,
            String name,
            Boolean useCachedMetrics,
            String metricType,
            Map<String, String> metadata,
            AuthenticationRef authenticationRef) {}

    record AuthenticationRef(String name, String kind) {}

    record TriggerAuthentication(String apiVersion, String kind, ObjectMeta metadata, TriggerAuthenticationSpec spec) {}

    record TriggerAuthenticationSpec(List<SecretTargetRef> secretTargetRef, List<EnvTarget> env) {}

    record SecretTargetRef(String parameter, String name, String key) {}

    record EnvTarget(String parameter, String name, String containerName) {}
}
