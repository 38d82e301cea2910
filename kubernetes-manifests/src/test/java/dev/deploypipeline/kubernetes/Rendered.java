package dev.deploypipeline.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

/** The objects of one rendering, found by kind and name. */
record Rendered(List<Object> objects) {

    <T> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream()
                .filter(object -> object.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("no " + type.getSimpleName() + " " + name));
    }

    /** A Secret by the name a manifest gives it, before kustomize added the hash of its content. */
    Secret secret(String name) {
        return all(Secret.class).stream()
                .filter(secret -> secret.getMetadata().getName().equals(name)
                        || secret.getMetadata().getName().startsWith(name + "-"))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("no Secret " + name));
    }

    String setting(String configMap, String key) {
        String value = named(ConfigMap.class, configMap).getData().get(key);
        if (value == null) {
            throw new NoSuchElementException(configMap + " has no " + key);
        }
        return value;
    }

    Container container(String deployment) {
        return pod(deployment).getContainers().get(0);
    }

    PodSpec pod(String deployment) {
        return named(Deployment.class, deployment).getSpec().getTemplate().getSpec();
    }

    /** Every pod template: the Deployments', the StatefulSets' and the Jobs'. */
    Stream<PodSpec> pods() {
        return workloads().stream().map(workload -> workload.template().getSpec());
    }

    /** What makes pods, by kind and name, with the template of its pods. */
    List<Workload> workloads() {
        return Stream.of(
                        all(Deployment.class).stream()
                                .map(d -> new Workload(
                                        "Deployment",
                                        d.getMetadata().getName(),
                                        d.getSpec().getTemplate())),
                        all(StatefulSet.class).stream()
                                .map(s -> new Workload(
                                        "StatefulSet",
                                        s.getMetadata().getName(),
                                        s.getSpec().getTemplate())),
                        all(Job.class).stream()
                                .map(j -> new Workload(
                                        "Job",
                                        j.getMetadata().getName(),
                                        j.getSpec().getTemplate())))
                .flatMap(each -> each)
                .toList();
    }

    record Workload(String kind, String name, PodTemplateSpec template) {

        @Override
        public String toString() {
            return kind + " " + name;
        }
    }
}
