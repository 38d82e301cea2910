package dev.deploypipeline.deploy.log;

import dev.deploypipeline.redis.RedisConnector;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.stereotype.Component;

/**
 * The secrets this service knows, which no build's log or error may show even if a build somehow printed them:
 * the AWS keys (from the environment or the system properties the AWS SDK reads), the password of the Redis URL,
 * and the value of every variable of the service whose name says it is a secret ({@code *TOKEN*},
 * {@code *SECRET*}, {@code *PASSWORD*}, {@code *API_KEY*}…). Keys the AWS SDK finds elsewhere (a profile file,
 * an instance role) are not known here.
 */
@Component
public final class ServiceSecrets {

    private static final List<String> NAMED = List.of(
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_ACCESS_KEY_ID",
            "aws.secretAccessKey",
            "aws.sessionToken",
            "aws.accessKeyId");
    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|PRIVATE_KEY|API_KEY|ACCESS_KEY).*");

    private final List<String> values;

    private ServiceSecrets(List<String> values) {
        this.values = List.copyOf(values);
    }

    /** The service's, as Spring sees its environment (so tests may set {@code REDIS_URL} as a property). */
    @Autowired
    ServiceSecrets(ConfigurableEnvironment environment, RedisConnector redis) {
        this(of(
                        environment.getSystemEnvironment().entrySet().stream()
                                .collect(Collectors.toMap(
                                        Map.Entry::getKey, variable -> String.valueOf(variable.getValue()))),
                        environment::getProperty,
                        redis.settings().url())
                .values);
    }

    /**
     * From the service's environment variables (to find the secret names among them) and {@code lookup} (the
     * environment and system properties, or Spring's view of them), and the Redis URL actually used.
     */
    public static ServiceSecrets of(Map<String, String> environment, Function<String, String> lookup, URI redisUrl) {
        List<String> values = new ArrayList<>();
        NAMED.stream().map(lookup).filter(Objects::nonNull).forEach(values::add);
        environment.entrySet().stream()
                .filter(variable -> SECRET_NAME.matcher(variable.getKey()).matches())
                .map(Map.Entry::getValue)
                .forEach(values::add);
        Stream.of(redisUrl, Objects.requireNonNullElse(uri(lookup.apply("REDIS_URL")), redisUrl))
                .map(URI::getUserInfo)
                .filter(Objects::nonNull)
                .map(userInfo -> userInfo.substring(userInfo.indexOf(':') + 1))
                .forEach(values::add);
        return new ServiceSecrets(values);
    }

    SecretMask mask() {
        return SecretMask.of(values);
    }

    private static URI uri(String value) {
        try {
            return value == null || value.isBlank() ? null : URI.create(value.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "ServiceSecrets[" + values.size() + " values]";
    }
}
