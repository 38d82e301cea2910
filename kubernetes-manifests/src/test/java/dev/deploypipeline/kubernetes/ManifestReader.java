package dev.deploypipeline.kubernetes;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads the YAML documents {@code kubectl kustomize} prints into the Kubernetes model: fabric8's classes for
 * Kubernetes' own kinds, {@link Keda}'s records for KEDA's. fabric8's classes keep a field they do not know in
 * {@code additionalProperties} instead of failing, so every object read is walked and any such field, at any depth,
 * is an error that names its path; KEDA's records fail on an unknown field as they are read.
 */
final class ManifestReader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();
    private static final Map<String, Class<?>> KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("keda.sh/v1alpha1/ScaledObject", Keda.ScaledObject.class),
            Map.entry("keda.sh/v1alpha1/TriggerAuthentication", Keda.TriggerAuthentication.class));

    private ManifestReader() {}

    /** Every object of a multi-document YAML text, each in its class; fails on a kind or field it does not know. */
    static List<Object> read(String yaml) {
        List<Object> objects = new ArrayList<>();
        try {
            for (JsonNode document :
                    YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    objects.add(read(document));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    private static Object read(JsonNode document) throws IOException {
        String kind = document.path("apiVersion").asText() + "/"
                + document.path("kind").asText();
        Class<?> type = KINDS.get(kind);
        if (type == null) {
            throw new IllegalArgumentException("no model class for " + kind + " (" + document.path("metadata") + ")");
        }
        Object object = STRICT.treeToValue(document, type);
        List<String> unknown = new ArrayList<>();
        walk(object, kind + " " + document.path("metadata").path("name").asText(), unknown);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("fields the Kubernetes model does not know: " + unknown);
        }
        return object;
    }

    /** Collects every non-empty {@code additionalProperties} of the model objects under {@code object}. */
    private static void walk(Object object, String path, List<String> unknown) {
        if (object instanceof Map<?, ?> map) {
            map.forEach((key, value) -> walk(value, path + "." + key, unknown));
            return;
        }
        if (object instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                walk(item, path + "[" + index++ + "]", unknown);
            }
            return;
        }
        if (object == null || !isModel(object.getClass())) {
            return;
        }
        for (Method getter : object.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class
                    || !(getter.getName().startsWith("get") || object.getClass().isRecord())) {
                continue;
            }
            Object value = invoke(getter, object);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
            } else {
                walk(value, path + "." + property(getter), unknown);
            }
        }
    }

    /** {@code getContainers} as the manifest names it: {@code containers}. */
    private static String property(Method getter) {
        String name = getter.getName();
        if (!name.startsWith("get") || name.length() == 3) {
            return name;
        }
        return Character.toLowerCase(name.charAt(3)) + name.substring(4);
    }

    private static boolean isModel(Class<?> type) {
        return type.getPackageName().startsWith("io.fabric8.kubernetes.api.model") || type.isRecord();
    }

    private static Object invoke(Method getter, Object object) {
        try {
            return getter.invoke(object);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("could not read " + getter, e);
        }
    }
}
