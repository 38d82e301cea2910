package dev.deploypipeline.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploypipeline.kubernetes.Rendered.Workload;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/kubernetes} as {@code kubectl kustomize} renders it, with no cluster: the example overlay after its
 * own {@code make-secrets.sh}, as the README has a person do, and the base alone. Every object is read into the
 * Kubernetes model with unknown fields failing, and held to what the pipeline needs of it.
 */
class KubernetesManifestsTest {

    private static final Path MANIFESTS = Path.of("../deploy/kubernetes");
    private static final List<String> SERVICES = List.of("upload-service", "deploy-service", "request-handler");

    /** Addresses no rule that opens the internet may reach: cloud metadata (AWS's on IPv6 too), private networks. */
    private static final List<String> NEVER_PUBLIC = List.of(
            "169.254.169.254", "10.0.0.1", "172.16.0.1", "192.168.0.1", "100.64.0.1", "fd00:ec2::254", "fe80::1");

    @TempDir
    static Path copy;

    private static Path exampleCopy;
    private static Rendered example;
    private static Rendered base;

    @BeforeAll
    static void renderTheExampleAfterMakingItsSecrets() {
        Path manifests = copy.resolve("deploy/kubernetes");
        copyTree(MANIFESTS, manifests);
        exampleCopy = manifests.resolve("example");
        Kustomize.run(List.of("sh", "./make-secrets.sh"), exampleCopy);
        example = new Rendered(ManifestReader.read(Kustomize.render(manifests.resolve("example"))));
        base = new Rendered(ManifestReader.read(Kustomize.render(manifests.resolve("base"))));
    }

    @Test
    void everyObjectOfTheBaseAndTheExampleIsReadIntoTheModel() {
        assertThat(example.all(Deployment.class))
                .extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(SERVICES);
        assertThat(example.all(StatefulSet.class))
                .extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrder("redis", "minio");
        assertThat(example.all(Keda.ScaledObject.class)).hasSize(1);
        assertThat(example.all(Keda.TriggerAuthentication.class)).hasSize(1);
        assertThat(example.all(Ingress.class)).hasSize(1);
        assertThat(example.all(Job.class))
                .extracting(j -> j.getMetadata().getName())
                .containsExactly("minio-users");
        assertThat(example.all(NetworkPolicy.class)).isNotEmpty();
        assertThat(base.all(Deployment.class)).hasSize(3);
        assertThat(base.all(NetworkPolicy.class)).isNotEmpty();
        assertThat(example.all(Deployment.class))
                .allSatisfy(d -> assertThat(d.getMetadata().getNamespace()).isEqualTo("deploy-pipeline"));
    }

    @Test
    void aFieldTheModelDoesNotKnowFailsTheReadingNamingWhereItIs() {
        String misspelled = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: typo
                spec:
                  selector:
                    matchLabels: {app: typo}
                  template:
                    spec:
                      containers:
                        - name: typo
                          image: typo
                          readinesProbe:
                            httpGet: {path: /actuator/health/readiness, port: 3000}
                """;
        String unknownKedaField = """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata:
                  name: typo
                spec:
                  scaleTargetRef: {name: typo}
                  minReplicas: 1
                """;

        assertThatThrownBy(() -> ManifestReader.read(misspelled))
                .hasMessageContaining("readinesProbe")
                .hasMessageContaining("containers[0]");
        assertThatThrownBy(() -> ManifestReader.read(unknownKedaField)).hasMessageContaining("minReplicas");
        assertThatThrownBy(() -> ManifestReader.read("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"))
                .hasMessageContaining("v1/Pod");
    }

    @Test
    void eachServiceIsProbedOnActuatorsHealthGroupsAndHasItsMemoryBounded() {
        for (String service : SERVICES) {
            Container container = example.container(service);
            assertThat(httpGet(container.getLivenessProbe()).getPath())
                    .as(service)
                    .isEqualTo("/actuator/health/liveness");
            assertThat(httpGet(container.getReadinessProbe()).getPath())
                    .as(service)
                    .isEqualTo("/actuator/health/readiness");
            assertThat(httpGet(container.getStartupProbe()).getPath())
                    .as(service)
                    .startsWith("/actuator/health/");
            Stream.of(container.getLivenessProbe(), container.getReadinessProbe(), container.getStartupProbe())
                    .map(probe -> httpGet(probe).getPort().getStrVal())
                    .forEach(port -> assertThat(container.getPorts())
                            .as(service + " has the port its probes name")
                            .extracting(ContainerPort::getName)
                            .contains(port));
            Map<String, Quantity> requests = container.getResources().getRequests();
            Map<String, Quantity> limits = container.getResources().getLimits();
            assertThat(requests).as(service).containsKeys("cpu", "memory");
            assertThat(limits.get("memory")).as(service).isEqualTo(requests.get("memory"));
        }
        assertThat(env(example.container("deploy-service"), "JAVA_TOOL_OPTIONS"))
                .contains("-Xmx");
    }

    @Test
    void aStoppedBuilderHasTimeToFinishItsBuildsAndHandTheRestBackBeforeItIsKilled() {
        Duration grace = duration(example.setting("deploy-settings", "DEPLOY_SHUTDOWN_GRACE"));
        long killedAfter = example.pod("deploy-service").getTerminationGracePeriodSeconds();

        // After the grace the service kills what is left and waits up to 10 s for its workers to hand ids back.
        assertThat(Duration.ofSeconds(killedAfter)).isGreaterThan(grace.plusSeconds(10));
        assertThat(example.container("deploy-service").getEnvFrom())
                .anySatisfy(from -> assertThat(from.getConfigMapRef().getName()).isEqualTo("deploy-settings"));
    }

    @Test
    void theBuildersWorkVolumeHoldsEveryBuildsDiskAndLogAndItsLocalCacheAtOnce() {
        for (Rendered rendered : List.of(example, base)) {
            long workers = Long.parseLong(rendered.setting("deploy-settings", "DEPLOY_WORKERS"));
            long disk = bytes(rendered.setting("deploy-settings", "BUILD_MAX_DISK"));
            // The service's defaults (the README's deploy-service table) where the ConfigMap sets none.
            long log = bytes(settingOr(rendered, "BUILD_LOG_MAX_SIZE", "10MB"));
            long cache = bytes(settingOr(rendered, "BUILD_CACHE_LOCAL_MAX", "5GB"));
            String workDir = rendered.setting("deploy-settings", "DEPLOY_WORK_DIR");
            String volume = rendered.container("deploy-service").getVolumeMounts().stream()
                    .filter(mount -> mount.getMountPath().equals(workDir))
                    .findFirst()
                    .orElseThrow()
                    .getName();
            Quantity sizeLimit = rendered.pod("deploy-service").getVolumes().stream()
                    .filter(each -> each.getName().equals(volume))
                    .findFirst()
                    .orElseThrow()
                    .getEmptyDir()
                    .getSizeLimit();

            // Each build's disk image (sparse, but it may fill) and log at once, and the replica's cache copies.
            assertThat(BigDecimal.valueOf(workers * (disk + log) + cache))
                    .as("DEPLOY_WORKERS x (BUILD_MAX_DISK + BUILD_LOG_MAX_SIZE) + BUILD_CACHE_LOCAL_MAX within "
                            + sizeLimit)
                    .isLessThanOrEqualTo(Quantity.getAmountInBytes(sizeLimit));
        }
    }

    @Test
    void buildersOnOneNodeShareTheLocksOfTheirBuildsUids() {
        PodSpec builder = example.pod("deploy-service");
        String volume = example.container("deploy-service").getVolumeMounts().stream()
                .filter(mount -> mount.getMountPath().equals("/run/deploy-pipeline/build-uids"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the uid locks are not mounted"))
                .getName();

        assertThat(builder.getVolumes())
                .filteredOn(v -> v.getName().equals(volume))
                .singleElement()
                .satisfies(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/run/deploy-pipeline/build-uids"));
    }

    @Test
    void onlyTheBuilderIsPrivilegedAndEverythingElseRunsAsAUserWithoutPrivileges() {
        Container builder = example.container("deploy-service");
        assertThat(builder.getSecurityContext().getPrivileged()).isTrue();
        assertThat(builder.getSecurityContext().getRunAsUser()).isZero();
        assertThat(example.pod("deploy-service").getAutomountServiceAccountToken())
                .isFalse();

        List<PodSpec> others = example.pods()
                .filter(pod -> !pod.getContainers().get(0).getName().equals("deploy-service"))
                .toList();
        assertThat(others).hasSize(5);
        for (PodSpec pod : others) {
            Container container = pod.getContainers().get(0);
            assertThat(pod.getSecurityContext().getRunAsNonRoot())
                    .as(container.getName())
                    .isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser())
                    .as(container.getName())
                    .isPositive();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(container.getSecurityContext().getPrivileged())
                    .as(container.getName())
                    .isNotEqualTo(true);
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation())
                    .isFalse();
            assertThat(container.getSecurityContext().getCapabilities().getDrop())
                    .containsExactly("ALL");
            assertThat(container.getSecurityContext().getCapabilities().getAdd())
                    .isNullOrEmpty();
        }
    }

    @Test
    void redisKeepsAnAppendOnlyFileOnAVolumeAndRefusesWritesRatherThanEvict() {
        String config = example.setting("redis-config", "redis.conf");
        StatefulSet redis = example.named(StatefulSet.class, "redis");
        Container container =
                redis.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(config.lines()).contains("appendonly yes", "maxmemory-policy noeviction", "dir /data");
        assertThat(container.getVolumeMounts())
                .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/data"));
        assertThat(redis.getSpec().getVolumeClaimTemplates())
                .extracting(claim -> claim.getMetadata().getName())
                .contains("data");
        assertThat(String.join(" ", container.getCommand())).contains("--requirepass \"$REDIS_PASSWORD\"");
    }

    @Test
    void credentialsComeOnlyFromTheGeneratedSecretsAndEachReferenceFindsItsKey() {
        Set<String> secretValues = example.all(Secret.class).stream()
                .flatMap(secret -> secret.getData().values().stream())
                // kustomize wraps long values over lines, which the API server's decoder skips, as MIME's does
                .map(value -> new String(Base64.getMimeDecoder().decode(value), StandardCharsets.UTF_8))
                .collect(Collectors.toSet());
        List<SecretKeySelector> references = example.pods()
                .flatMap(pod -> pod.getContainers().stream())
                .flatMap(container -> container.getEnv().stream())
                .map(EnvVar::getValueFrom)
                .filter(Objects::nonNull)
                .map(from -> from.getSecretKeyRef())
                .filter(Objects::nonNull)
                .toList();

        assertThat(references).hasSizeGreaterThan(10);
        for (SecretKeySelector reference : references) {
            Secret secret = example.all(Secret.class).stream()
                    .filter(s -> s.getMetadata().getName().equals(reference.getName()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no Secret " + reference.getName()));
            assertThat(secret.getData()).as(reference.getName()).containsKey(reference.getKey());
        }
        assertThat(secretValues).allSatisfy(value -> assertThat(value).hasSizeGreaterThanOrEqualTo(20));
        for (String service : SERVICES) {
            assertThat(env(example.container(service), "REDIS_URL")).isEqualTo("redis://:$(REDIS_PASSWORD)@redis:6379");
            assertThat(example.container(service).getEnv())
                    .extracting(EnvVar::getValue)
                    .filteredOn(Objects::nonNull)
                    .noneMatch(value -> secretValues.stream().anyMatch(value::contains));
        }
    }

    @Test
    void theIngressSendsEverySiteToTheRequestHandlerAndTheApiNameToUploadService() {
        Ingress ingress = example.all(Ingress.class).get(0);
        String domain = example.setting("pipeline-settings", "BASE_DOMAIN");
        String apiHost = env(example.container("upload-service"), "API_ALLOWED_HOSTS");
        Map<String, String> backendByHost = ingress.getSpec().getRules().stream()
                .collect(Collectors.toMap(
                        IngressRule::getHost,
                        rule -> rule.getHttp()
                                .getPaths()
                                .get(0)
                                .getBackend()
                                .getService()
                                .getName()));

        assertThat(backendByHost)
                .containsEntry("*." + domain, "request-handler")
                .containsEntry(apiHost, "upload-service");
        assertThat(apiHost).doesNotEndWith("." + domain);
        assertThat(ingress.getSpec().getTls())
                .anySatisfy(tls -> assertThat(tls.getHosts()).contains("*." + domain));
        for (String name : backendByHost.values()) {
            assertThat(example.named(Service.class, name).getSpec().getPorts())
                    .extracting(port -> port.getName())
                    .contains("http");
        }
        assertThat(env(example.container("upload-service"), "SITE_URL_PATTERN"))
                .isEqualTo("https://{id}." + domain + "/");
    }

    @Test
    void kedaScalesTheBuildersOnTheirQueueWithOnlyTheFieldsItsRedisScalerDocuments() {
        Keda.ScaledObject scaler = example.all(Keda.ScaledObject.class).get(0);
        Keda.Trigger trigger = scaler.spec().triggers().get(0);
        Map<String, String> metadata = trigger.metadata();
        String namespace = scaler.metadata().getNamespace();

        assertThat(scaler.spec().triggers()).hasSize(1);
        assertThat(trigger.type()).isEqualTo("redis");
        assertThat(Keda.REDIS_TRIGGER_METADATA).containsAll(metadata.keySet());
        assertThat(metadata).containsKeys("listName", "listLength", "activationListLength");
        assertThat(metadata.get("listName"))
                .isEqualTo(example.setting("pipeline-settings", "REDIS_KEY_PREFIX") + "build-queue")
                .isNotEqualTo("build-queue");
        assertThat(metadata.get("listLength")).isEqualTo(example.setting("deploy-settings", "DEPLOY_WORKERS"));
        assertThat(Integer.parseInt(metadata.get("activationListLength"))).isNotNegative();
        assertThat(metadata.get("address")).isEqualTo("redis." + namespace + ".svc.cluster.local:6379");
        example.named(Service.class, "redis");
        assertThat(scaler.spec().minReplicaCount()).isGreaterThanOrEqualTo(1);
        assertThat(scaler.spec().maxReplicaCount()).isGreaterThan(scaler.spec().minReplicaCount());
        assertThat(example.named(
                        Deployment.class, scaler.spec().scaleTargetRef().name()))
                .isNotNull();
        assertThat(scaler.spec().scaleTargetRef().name()).isEqualTo("deploy-service");

        Keda.TriggerAuthentication authentication =
                example.all(Keda.TriggerAuthentication.class).get(0);
        assertThat(trigger.authenticationRef().name())
                .isEqualTo(authentication.metadata().getName());
        assertThat(authentication.spec().secretTargetRef()).isNotEmpty().allSatisfy(target -> {
            assertThat(Keda.REDIS_AUTHENTICATION_PARAMETERS).contains(target.parameter());
            assertThat(example.named(Secret.class, target.name()).getData()).containsKey(target.key());
        });
        assertThat(authentication.spec().secretTargetRef())
                .extracting(Keda.SecretTargetRef::parameter)
                .contains("password");
    }

    @Test
    void theBaseAloneKeepsTheQueuesDefaultNameAndTheSameShape() {
        Keda.ScaledObject scaler = base.all(Keda.ScaledObject.class).get(0);

        assertThat(scaler.spec().triggers().get(0).metadata().get("listName"))
                .isEqualTo(base.setting("pipeline-settings", "REDIS_KEY_PREFIX") + "build-queue");
        assertThat(base.all(Secret.class)).isEmpty();
    }

    @Test
    void noPodOfTheExampleTakesOrOpensAConnectionThatNoPolicyAllows() {
        Reachability reachability = new Reachability(example);

        assertThat(example.workloads()).hasSize(6).allSatisfy(workload -> {
            assertThat(reachability.selecting(workload, "Ingress"))
                    .as(workload + " is isolated for what it takes")
                    .isNotEmpty();
            assertThat(reachability.selecting(workload, "Egress"))
                    .as(workload + " is isolated for what it opens")
                    .isNotEmpty();
        });
    }

    @Test
    void onlyThePipelinesServicesAndKedasNamespaceReachRedisAndOnlyItsPort() {
        for (Rendered rendered : List.of(example, base)) {
            Reachability reachability = new Reachability(rendered);
            Workload redis = reachability.workload("redis");
            List<NetworkPolicyIngressRule> rules = reachability.selecting(redis, "Ingress").stream()
                    .flatMap(policy -> policy.getSpec().getIngress().stream())
                    .toList();

            assertThat(rules).isNotEmpty().allSatisfy(rule -> {
                assertThat(rule.getPorts())
                        .isNotEmpty()
                        .allSatisfy(port ->
                                assertThat(port.getPort()).isIn(new IntOrString("redis"), new IntOrString(6379)));
                assertThat(rule.getFrom())
                        .as("a rule with no from takes anyone")
                        .isNotEmpty();
                for (NetworkPolicyPeer peer : rule.getFrom()) {
                    assertThat(peer.getIpBlock())
                            .as("addresses could be anyone's")
                            .isNull();
                    if (peer.getNamespaceSelector() != null) {
                        assertThat(peer.getNamespaceSelector()).isEqualTo(namespaceNamed("keda"));
                    } else {
                        assertThat(reachability.selected(peer.getPodSelector()))
                                .extracting(Workload::name)
                                .isNotEmpty()
                                .isSubsetOf(SERVICES);
                    }
                }
            });
            for (String service : SERVICES) {
                assertThat(reachability.allows(reachability.workload(service), redis, "redis"))
                        .as(service + " reaches Redis")
                        .isTrue();
            }
        }
    }

    @Test
    void fromOtherNamespacesOnlyTheApiAndTheSitesAreOpenToAnyoneAndTheActuatorsToPrometheus() {
        for (Rendered rendered : List.of(example, base)) {
            Reachability reachability = new Reachability(rendered);
            Set<String> openToAnyone = new TreeSet<>();
            Map<String, Set<String>> openToNamespaces = new TreeMap<>();
            for (Workload workload : rendered.workloads()) {
                for (NetworkPolicy policy : reachability.selecting(workload, "Ingress")) {
                    for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                        assertThat(rule.getPorts())
                                .as(policy.getMetadata().getName() + ": a rule with no port opens every port")
                                .isNotEmpty();
                        List<String> ports = rule.getPorts().stream()
                                .map(port -> workload.name() + ":" + portName(port))
                                .toList();
                        if (takesAnyone(rule.getFrom())) {
                            openToAnyone.addAll(ports);
                            continue;
                        }
                        for (NetworkPolicyPeer peer : rule.getFrom()) {
                            if (peer.getNamespaceSelector() != null) {
                                String namespace = peer.getNamespaceSelector()
                                        .getMatchLabels()
                                        .get(Reachability.NAMESPACE_LABEL);
                                ports.forEach(port -> openToNamespaces
                                        .computeIfAbsent(port, p -> new TreeSet<>())
                                        .add(namespace));
                            }
                        }
                    }
                }
            }

            assertThat(openToAnyone).containsExactlyInAnyOrder("upload-service:http", "request-handler:http");
            assertThat(openToNamespaces)
                    .isEqualTo(Map.of(
                            "redis:redis", Set.of("keda"),
                            "upload-service:management", Set.of("monitoring"),
                            "deploy-service:http", Set.of("monitoring")));
        }
    }

    @Test
    void noRuleThatOpensTheInternetReachesCloudMetadataOrAPrivateNetwork() {
        for (Rendered rendered : List.of(example, base)) {
            List<IPBlock> blocks = ipBlocks(rendered);

            assertThat(blocks)
                    .as("the internet is reached by some rule")
                    .anySatisfy(block -> assertThat(Cidr.of(block.getCidr()).contains("8.8.8.8"))
                            .isTrue());
            for (IPBlock block : blocks) {
                for (String address : NEVER_PUBLIC) {
                    if (Cidr.of(block.getCidr()).contains(address)) {
                        assertThat(Objects.requireNonNullElse(block.getExcept(), List.<String>of()))
                                .as(block.getCidr() + " excepts " + address)
                                .anySatisfy(except -> assertThat(Cidr.of(except).contains(address))
                                        .isTrue());
                    }
                }
            }
        }
    }

    @Test
    void everyPolicyAndEveryPeerOfItsNamespaceSelectsARealPodAndNamesPortsThosePodsHave() {
        for (Rendered rendered : List.of(example, base)) {
            Reachability reachability = new Reachability(rendered);
            for (NetworkPolicy policy : rendered.all(NetworkPolicy.class)) {
                String name = policy.getMetadata().getName();
                List<Workload> selected = reachability.selected(policy.getSpec().getPodSelector());
                assertThat(selected).as(name + " selects some pod").isNotEmpty();
                for (NetworkPolicyIngressRule rule : Objects.requireNonNullElse(
                        policy.getSpec().getIngress(), List.<NetworkPolicyIngressRule>of())) {
                    ownPeers(rule.getFrom())
                            .forEach(peer -> assertThat(reachability.selected(peer))
                                    .as(name + ": " + peer + " selects some pod")
                                    .isNotEmpty());
                    assertPortsAreOf(name, rule.getPorts(), selected);
                }
                for (NetworkPolicyEgressRule rule :
                        Objects.requireNonNullElse(policy.getSpec().getEgress(), List.<NetworkPolicyEgressRule>of())) {
                    for (LabelSelector peer : ownPeers(rule.getTo())) {
                        List<Workload> peers = reachability.selected(peer);
                        assertThat(peers)
                                .as(name + ": " + peer + " selects some pod")
                                .isNotEmpty();
                        assertPortsAreOf(name, rule.getPorts(), peers);
                    }
                }
            }
        }
    }

    @Test
    void theConnectionsThePipelineNeedsAreAllowedAtBothEnds() {
        Reachability reachability = new Reachability(example);
        Workload minio = reachability.workload("minio");

        for (String client : List.of("upload-service", "deploy-service", "request-handler", "minio-users")) {
            assertThat(reachability.allows(reachability.workload(client), minio, "s3"))
                    .as(client + " reaches MinIO")
                    .isTrue();
        }
        for (String service : SERVICES) {
            assertThat(reachability.allows(reachability.workload(service), reachability.workload("redis"), "redis"))
                    .isTrue();
        }
        assertThat(reachability.allows(reachability.workload("minio-users"), reachability.workload("redis"), "redis"))
                .as("the Job that holds MinIO's root key has no business with Redis")
                .isFalse();
    }

    @Test
    void minioTakesItsS3PortFromThePipelineAloneAndItsConsoleFromItsNamespaceAlone() {
        Reachability reachability = new Reachability(example);
        Workload minio = reachability.workload("minio");
        List<NetworkPolicyIngressRule> rules = reachability.selecting(minio, "Ingress").stream()
                .flatMap(policy -> policy.getSpec().getIngress().stream())
                .toList();

        assertThat(rules).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.getFrom()).isNotEmpty().allSatisfy(peer -> {
                assertThat(peer.getIpBlock()).isNull();
                assertThat(peer.getNamespaceSelector())
                        .as("from another namespace")
                        .isNull();
            });
            Set<String> sources = rule.getFrom().stream()
                    .flatMap(peer -> reachability.selected(peer.getPodSelector()).stream())
                    .map(Workload::name)
                    .collect(Collectors.toSet());
            if (rule.getPorts().stream().anyMatch(port -> portName(port).equals("s3"))) {
                assertThat(sources)
                        .containsExactlyInAnyOrder(
                                "upload-service", "deploy-service", "request-handler", "minio-users");
            }
            assertThat(rule.getPorts())
                    .extracting(KubernetesManifestsTest::portName)
                    .isSubsetOf("s3", "console");
        });
        assertThat(reachability.allows(reachability.workload("redis"), minio, "s3"))
                .isFalse();
    }

    @Test
    void inTheExampleTheRequestHandlerReachesNothingOutsideTheClusterAndInTheBaseOnlyHttpsForS3() {
        Reachability inExample = new Reachability(example);
        Reachability inBase = new Reachability(base);

        assertThat(egressRules(inExample, "request-handler"))
                .isNotEmpty()
                .allSatisfy(rule -> assertThat(rule.getTo())
                        .as("a rule with no to reaches anywhere")
                        .isNotEmpty()
                        .allSatisfy(peer -> assertThat(peer.getIpBlock()).isNull()));
        assertThat(egressRules(inBase, "request-handler"))
                .filteredOn(rule -> rule.getTo().stream().anyMatch(peer -> peer.getIpBlock() != null))
                .isNotEmpty()
                .allSatisfy(rule -> assertThat(rule.getPorts())
                        .extracting(KubernetesManifestsTest::portName)
                        .containsExactly("443"));
    }

    @Test
    void theRequestHandlerNeverHoldsTheRootKeyOfTheS3() {
        String root = example.secret("s3-credentials").getMetadata().getName();
        String reader = example.secret("s3-read-credentials").getMetadata().getName();

        assertThat(secretReferences(example.container("request-handler")))
                .doesNotContain(root)
                .contains(reader);
        assertThat(secretKeyRef(example.container("request-handler"), "AWS_ACCESS_KEY_ID")
                        .getName())
                .isEqualTo(reader);
        assertThat(secretKeyRef(example.container("request-handler"), "AWS_SECRET_ACCESS_KEY")
                        .getName())
                .isEqualTo(reader);
        assertThat(secretKeyRef(base.container("request-handler"), "AWS_SECRET_ACCESS_KEY")
                        .getName())
                .as("the base asks every overlay for a key of its own")
                .isEqualTo("s3-read-credentials");
        for (String writer : List.of("upload-service", "deploy-service")) {
            assertThat(secretKeyRef(example.container(writer), "AWS_SECRET_ACCESS_KEY")
                            .getName())
                    .isEqualTo(root);
        }
    }

    @Test
    void makeSecretsWritesTheReadersKeysBesideTheRootKeysAndTheyDiffer() throws IOException {
        Properties root = envFile(exampleCopy.resolve("secrets/s3.env"));
        Properties reader = envFile(exampleCopy.resolve("secrets/s3-read.env"));
        Map<String, String> generated = decoded(example.secret("s3-read-credentials"));

        assertThat(reader.stringPropertyNames())
                .containsExactlyInAnyOrder("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
        assertThat(reader.getProperty("AWS_ACCESS_KEY_ID")).isNotEqualTo(root.getProperty("AWS_ACCESS_KEY_ID"));
        assertThat(reader.getProperty("AWS_SECRET_ACCESS_KEY"))
                .hasSizeGreaterThanOrEqualTo(32)
                .isNotEqualTo(root.getProperty("AWS_SECRET_ACCESS_KEY"));
        assertThat(generated).containsEntry("AWS_ACCESS_KEY_ID", reader.getProperty("AWS_ACCESS_KEY_ID"));
        assertThat(Files.getPosixFilePermissions(exampleCopy.resolve("secrets/s3-read.env")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void makeSecretsRunAgainKeepsEveryFileAndWritesOnlyOneThatIsMissing(@TempDir Path scratch) throws IOException {
        Files.copy(MANIFESTS.resolve("example/make-secrets.sh"), scratch.resolve("make-secrets.sh"));
        Kustomize.run(List.of("sh", "./make-secrets.sh"), scratch);
        Map<String, String> first = contents(scratch.resolve("secrets"));

        Kustomize.run(List.of("sh", "./make-secrets.sh"), scratch);
        Map<String, String> second = contents(scratch.resolve("secrets"));
        Files.delete(scratch.resolve("secrets/s3-read.env"));
        Kustomize.run(List.of("sh", "./make-secrets.sh"), scratch);
        Map<String, String> third = contents(scratch.resolve("secrets"));

        assertThat(first).containsOnlyKeys("redis.env", "s3.env", "s3-read.env", "api-tokens.env");
        assertThat(second).isEqualTo(first);
        assertThat(third).containsOnlyKeys(first.keySet());
        assertThat(third.get("s3-read.env")).isNotEqualTo(first.get("s3-read.env"));
        third.remove("s3-read.env");
        first.remove("s3-read.env");
        assertThat(third).isEqualTo(first);
    }

    @Test
    void theReadersPolicyGrantsNoWriteAndReadsOnlyTheSitesOfTheBucket() throws IOException {
        String bucket = example.setting("pipeline-settings", "S3_BUCKET");
        JsonNode policy = new ObjectMapper().readTree(example.setting(readPolicyName(), "policy.json"));
        List<String> granted = new ArrayList<>();

        assertThat(policy.path("Statement").size()).isPositive();
        for (JsonNode statement : policy.path("Statement")) {
            List<String> fields = new ArrayList<>();
            statement.fieldNames().forEachRemaining(fields::add);
            // NotAction and NotResource grant everything but what they name.
            assertThat(fields).containsExactlyInAnyOrder("Effect", "Action", "Resource");
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            List<String> actions = texts(statement.path("Action"));
            List<String> resources = texts(statement.path("Resource"));
            assertThat(actions).isSubsetOf("s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation");
            if (actions.contains("s3:GetObject")) {
                assertThat(resources).containsExactly("arn:aws:s3:::" + bucket + "/dist/*");
            } else {
                assertThat(resources).containsExactly("arn:aws:s3:::" + bucket);
            }
            granted.addAll(actions);
        }
        // HeadBucket at start, and a missing file's 404, need s3:ListBucket; the sites need s3:GetObject.
        assertThat(granted).contains("s3:GetObject", "s3:ListBucket");
    }

    @Test
    void minioUsersGivesTheRequestHandlersKeyThatPolicyAndKeepsTheKeysOffCommandLines() {
        Job job = example.named(Job.class, "minio-users");
        Container mc = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        String script = String.join("\n", mc.getArgs());
        String reader = secretKeyRef(example.container("request-handler"), "AWS_ACCESS_KEY_ID")
                .getName();

        assertThat(secretKeyRef(mc, "READER_ACCESS_KEY_ID").getName()).isEqualTo(reader);
        assertThat(secretKeyRef(mc, "READER_SECRET_ACCESS_KEY").getName()).isEqualTo(reader);
        assertThat(secretKeyRef(mc, "MINIO_ROOT_PASSWORD").getName())
                .isEqualTo(example.secret("s3-credentials").getMetadata().getName());
        assertThat(job.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(volume -> volume.getConfigMap() != null)
                .extracting(volume -> volume.getConfigMap().getName())
                .containsExactly(readPolicyName());
        assertThat(mc.getVolumeMounts())
                .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/etc/s3-read-policy"));
        assertThat(script)
                .contains("mc admin policy create minio site-reader /etc/s3-read-policy/policy.json")
                .contains("mc admin policy attach minio site-reader --user \"$READER_ACCESS_KEY_ID\"");
        assertThat(script.lines().filter(line -> line.contains("SECRET") || line.contains("PASSWORD")))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line.strip()).startsWith("printf "));
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isPositive();
    }

    private static String portName(NetworkPolicyPort port) {
        return port.getPort() == null
                ? "any"
                : Objects.requireNonNullElse(
                        port.getPort().getStrVal(),
                        String.valueOf(port.getPort().getIntVal()));
    }

    /** A rule's sources are anyone: it names none, or an address block, or every namespace. */
    private static boolean takesAnyone(List<NetworkPolicyPeer> from) {
        return from == null
                || from.isEmpty()
                || from.stream()
                        .anyMatch(peer -> peer.getIpBlock() != null
                                || (peer.getNamespaceSelector() != null
                                        && Reachability.matches(peer.getNamespaceSelector(), Map.of())));
    }

    private static LabelSelector namespaceNamed(String name) {
        LabelSelector selector = new LabelSelector();
        selector.setMatchLabels(Map.of(Reachability.NAMESPACE_LABEL, name));
        return selector;
    }

    /** The pod selectors of peers in the policy's own namespace. */
    private static List<LabelSelector> ownPeers(List<NetworkPolicyPeer> peers) {
        return Objects.requireNonNullElse(peers, List.<NetworkPolicyPeer>of()).stream()
                .filter(peer -> peer.getNamespaceSelector() == null && peer.getPodSelector() != null)
                .map(NetworkPolicyPeer::getPodSelector)
                .toList();
    }

    private static void assertPortsAreOf(String policy, List<NetworkPolicyPort> ports, List<Workload> workloads) {
        for (NetworkPolicyPort port : Objects.requireNonNullElse(ports, List.<NetworkPolicyPort>of())) {
            for (Workload workload : workloads) {
                assertThat(Reachability.isPortOf(port.getPort(), workload))
                        .as(policy + ": port " + portName(port) + " is a port of " + workload)
                        .isTrue();
            }
        }
    }

    private static List<IPBlock> ipBlocks(Rendered rendered) {
        return rendered.all(NetworkPolicy.class).stream()
                .flatMap(policy -> Stream.concat(
                        Objects.requireNonNullElse(policy.getSpec().getIngress(), List.<NetworkPolicyIngressRule>of())
                                .stream()
                                .flatMap(rule ->
                                        Objects.requireNonNullElse(rule.getFrom(), List.<NetworkPolicyPeer>of())
                                                .stream()),
                        Objects.requireNonNullElse(policy.getSpec().getEgress(), List.<NetworkPolicyEgressRule>of())
                                .stream()
                                .flatMap(rule ->
                                        Objects.requireNonNullElse(rule.getTo(), List.<NetworkPolicyPeer>of())
                                                .stream())))
                .map(NetworkPolicyPeer::getIpBlock)
                .filter(Objects::nonNull)
                .toList();
    }

    private static List<NetworkPolicyEgressRule> egressRules(Reachability reachability, String workload) {
        return reachability.selecting(reachability.workload(workload), "Egress").stream()
                .flatMap(policy -> policy.getSpec().getEgress().stream())
                .toList();
    }

    private static List<String> secretReferences(Container container) {
        return container.getEnv().stream()
                .map(EnvVar::getValueFrom)
                .filter(from -> from != null && from.getSecretKeyRef() != null)
                .map(from -> from.getSecretKeyRef().getName())
                .toList();
    }

    private static SecretKeySelector secretKeyRef(Container container, String variable) {
        return container.getEnv().stream()
                .filter(each -> each.getName().equals(variable))
                .map(each -> each.getValueFrom().getSecretKeyRef())
                .findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no " + variable));
    }

    private static Map<String, String> decoded(Secret secret) {
        Map<String, String> values = new HashMap<>();
        secret.getData()
                .forEach((key, value) ->
                        values.put(key, new String(Base64.getMimeDecoder().decode(value), StandardCharsets.UTF_8)));
        return values;
    }

    private static Properties envFile(Path file) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(file)));
        return properties;
    }

    private static Map<String, String> contents(Path directory) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> each = Files.list(directory)) {
            for (Path file : each.toList()) {
                files.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        return files;
    }

    /** The generated ConfigMap of the readers' policy, by the name kustomize gave it. */
    private static String readPolicyName() {
        return example.all(ConfigMap.class).stream()
                .map(configMap -> configMap.getMetadata().getName())
                .filter(name -> name.startsWith("s3-read-policy-"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap s3-read-policy"));
    }

    private static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(each -> texts.add(each.asText()));
        } else {
            texts.add(node.asText());
        }
        return texts;
    }

    private static HTTPGetAction httpGet(Probe probe) {
        assertThat(probe).isNotNull();
        assertThat(probe.getHttpGet()).isNotNull();
        return probe.getHttpGet();
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream()
                .filter(variable -> variable.getName().equals(name))
                .map(EnvVar::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no " + name));
    }

    /** A duration as the services read one: {@code 90s}, {@code 5m}, {@code 1h}. */
    private static String settingOr(Rendered rendered, String key, String otherwise) {
        String value =
                rendered.named(ConfigMap.class, "deploy-settings").getData().get(key);
        return value == null ? otherwise : value;
    }

    /** A size as the service reads it (Spring's DataSize: {@code 4GB} is 4 x 1024^3 bytes). */
    private static long bytes(String size) {
        Matcher parts = Pattern.compile("(\\d+)(B|KB|MB|GB|TB)").matcher(size.strip());
        assertThat(parts.matches()).as(size).isTrue();
        int power = List.of("B", "KB", "MB", "GB", "TB").indexOf(parts.group(2));
        return Long.parseLong(parts.group(1)) << (10 * power);
    }

    private static Duration duration(String value) {
        Matcher matcher = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(value);
        assertThat(matcher.matches()).as(value).isTrue();
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else if (!from.relativize(path).startsWith("example/secrets")) {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
