package dev.deploypipeline.kubernetes;

import dev.deploypipeline.kubernetes.Rendered.Workload;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The rendered NetworkPolicies read as Kubernetes reads them: which policies select a pod, and whether a connection
 * from one pod of the rendering to a port of another is allowed at both ends. An {@code ipBlock} is never taken to
 * reach a pod, as a plugin may or may not apply it to pods.
 */
record Reachability(Rendered rendered) {

    static final String NAMESPACE_LABEL = "kubernetes.io/metadata.name";

    /** The policies that select the workload's pods and hold {@code type} ({@code Ingress} or {@code Egress}). */
    List<NetworkPolicy> selecting(Workload workload, String type) {
        return rendered.all(NetworkPolicy.class).stream()
                .filter(policy -> matches(policy.getSpec().getPodSelector(), labels(workload)))
                .filter(policy -> policy.getSpec().getPolicyTypes().contains(type))
                .toList();
    }

    /** The workloads of the rendering whose pods {@code selector} matches. */
    List<Workload> selected(LabelSelector selector) {
        return rendered.workloads().stream()
                .filter(workload -> matches(selector, labels(workload)))
                .toList();
    }

    Workload workload(String name) {
        return rendered.workloads().stream()
                .filter(workload -> workload.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no workload " + name));
    }

    /** Whether {@code client} may open a TCP connection to {@code server}'s port of that name, by both ends' rules. */
    boolean allows(Workload client, Workload server, String portName) {
        int number = containerPort(server, portName)
                .orElseThrow(() -> new AssertionError(server + " has no port " + portName));
        boolean out = selecting(client, "Egress").isEmpty()
                || selecting(client, "Egress").stream()
                        .flatMap(policy -> policy.getSpec().getEgress().stream())
                        .anyMatch(rule ->
                                reaches(rule.getTo(), server) && opens(rule.getPorts(), server, portName, number));
        boolean in = selecting(server, "Ingress").isEmpty()
                || selecting(server, "Ingress").stream()
                        .flatMap(policy -> policy.getSpec().getIngress().stream())
                        .anyMatch(rule ->
                                reaches(rule.getFrom(), client) && opens(rule.getPorts(), server, portName, number));
        return out && in;
    }

    /** Whether a rule's peers include the workload's pods (in the rendering's own namespace). */
    private boolean reaches(List<NetworkPolicyPeer> peers, Workload workload) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        return peers.stream()
                .anyMatch(peer -> peer.getIpBlock() == null
                        && (peer.getNamespaceSelector() == null
                                || matches(peer.getNamespaceSelector(), Map.of(NAMESPACE_LABEL, namespace())))
                        && (peer.getPodSelector() == null || matches(peer.getPodSelector(), labels(workload))));
    }

    private static boolean opens(List<NetworkPolicyPort> ports, Workload server, String name, int number) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        return ports.stream()
                .filter(port -> port.getProtocol() == null || port.getProtocol().equals("TCP"))
                .anyMatch(port -> port.getPort() == null
                        || name.equals(port.getPort().getStrVal())
                        || Objects.equals(port.getPort().getIntVal(), number));
    }

    /** Whether a port of a rule is one of the workload's containers' ports, by name or number. */
    static boolean isPortOf(IntOrString port, Workload workload) {
        return port == null
                || (port.getStrVal() != null
                        ? containerPort(workload, port.getStrVal()).isPresent()
                        : containerPorts(workload).stream()
                                .anyMatch(each -> each.getContainerPort().equals(port.getIntVal())));
    }

    private static Optional<Integer> containerPort(Workload workload, String name) {
        return containerPorts(workload).stream()
                .filter(port -> name.equals(port.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst();
    }

    private static List<ContainerPort> containerPorts(Workload workload) {
        return workload.template().getSpec().getContainers().stream()
                .flatMap(container -> container.getPorts().stream())
                .toList();
    }

    /** The namespace the rendering puts its objects in; {@code default} when it names none. */
    private String namespace() {
        return rendered.all(Deployment.class).stream()
                .map(deployment -> deployment.getMetadata().getNamespace())
                .filter(Objects::nonNull)
                .findFirst()
                .orElse("default");
    }

    static Map<String, String> labels(Workload workload) {
        return Objects.requireNonNullElse(workload.template().getMetadata().getLabels(), Map.of());
    }

    /** A label selector as Kubernetes matches one: every matchLabels pair and every requirement holds. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        boolean pairs = selector.getMatchLabels() == null
                || selector.getMatchLabels().entrySet().stream()
                        .allMatch(pair -> pair.getValue().equals(labels.get(pair.getKey())));
        boolean requirements = selector.getMatchExpressions() == null
                || selector.getMatchExpressions().stream().allMatch(requirement -> holds(requirement, labels));
        return pairs && requirements;
    }

    private static boolean holds(LabelSelectorRequirement requirement, Map<String, String> labels) {
        String value = labels.get(requirement.getKey());
        return switch (requirement.getOperator()) {
            case "In" -> value != null && requirement.getValues().contains(value);
            case "NotIn" -> value == null || !requirement.getValues().contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> throw new AssertionError("no operator " + requirement.getOperator());
        };
    }
}
