package dev.deploypipeline.deploy.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploypipeline.deploy.cache.CacheScope;
import dev.deploypipeline.deploy.cache.RepositoryScopes;
import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.testing.RedisExtension;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Whose dependency cache a deployment uses, against real Redis: one installation, then another. */
class BuildSettingsResolverTest {

    private static final String REPOSITORY = "https://github.com/someone/site";

    private static final BuildSettings WITH_SECRET =
            new BuildSettings(null, null, null, null, Map.of("API_TOKEN", "hunter2"));

    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    @RegisterExtension
    static final RedisExtension otherInstallation = new RedisExtension();

    @Test
    void aScopeOfNoProjectIsNoPlainHashSoNoOneListingTheBucketCanTestGuessesOfASecretAgainstIt() {
        DeploymentId id = accepted(redis, null);

        CacheScope scope = resolver(redis).cacheOf(id, WITH_SECRET).scope();

        assertThat(scope.prefix()).startsWith("cache/repositories/");
        assertThat(List.of("password", "123456", "hunter2"))
                .as("guesses of the secret, each hashed as the scope once was, against the bucket's listing")
                .noneMatch(guess -> scope.prefix().equals(plainHashScope(guess)));
    }

    @Test
    void aDeploymentOfNoProjectBuildingAnotherFolderOfTheRepositoryGetsAnotherScope() {
        DeploymentId id = accepted(redis, null);
        BuildSettings inExamples = new BuildSettings("examples/evil", null, null, null, WITH_SECRET.env());

        CacheScope site = resolver(redis).cacheOf(id, WITH_SECRET).scope();
        CacheScope example = resolver(redis).cacheOf(id, inExamples).scope();

        assertThat(example.prefix()).startsWith("cache/repositories/").isNotEqualTo(site.prefix());
    }

    @Test
    void twoReplicasOfOneInstallationNameTheSameScopeWhicheverMadeTheKey() {
        DeploymentId id = accepted(redis, null);
        BuildSettingsResolver first = resolver(redis);
        BuildSettingsResolver second = resolver(redis);

        CacheScope seenBySecond = second.cacheOf(id, WITH_SECRET).scope();

        assertThat(first.cacheOf(id, WITH_SECRET).scope()).isEqualTo(seenBySecond);
        assertThat(redis.redis().get("cache-scope-key")).matches("[0-9a-f]{64}");
    }

    @Test
    void anotherInstallationNamesAnotherScopeForTheSameSettings() {
        CacheScope here =
                resolver(redis).cacheOf(accepted(redis, null), WITH_SECRET).scope();

        CacheScope there = resolver(otherInstallation)
                .cacheOf(accepted(otherInstallation, null), WITH_SECRET)
                .scope();

        assertThat(there.prefix()).startsWith("cache/repositories/").isNotEqualTo(here.prefix());
    }

    @Test
    void aReplicaStartedAfterTheKeyWasLostMakesANewOneAndNamesNewScopesWhileOthersKeepTheirs() {
        DeploymentId id = accepted(redis, null);
        BuildSettingsResolver running = resolver(redis);
        CacheScope before = running.cacheOf(id, WITH_SECRET).scope();

        redis.redis().del("cache-scope-key");
        CacheScope afterwards = resolver(redis).cacheOf(id, WITH_SECRET).scope();

        assertThat(afterwards).isNotEqualTo(before);
        assertThat(running.cacheOf(id, WITH_SECRET).scope()).isEqualTo(before);
        assertThat(redis.redis().get("cache-scope-key")).matches("[0-9a-f]{64}");
    }

    @Test
    void aKeyNotOf64HexDigitsIsRefusedRatherThanHashedUnder() {
        redis.redis().set("cache-scope-key", "short");
        DeploymentId id = accepted(redis, null);

        assertThatThrownBy(() -> resolver(redis).cacheOf(id, WITH_SECRET).scope())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the Redis key cache-scope-key holds no key of 64 hex digits");
    }

    @Test
    void aProjectsScopeIsItsNameOnEveryInstallationAndNeedsNoKey() {
        DeploymentId here = accepted(redis, "shop");
        DeploymentId there = accepted(otherInstallation, "shop");
        saveShop(redis);
        saveShop(otherInstallation);

        assertThat(resolver(redis).cacheOf(here, WITH_SECRET).scope()).isEqualTo(CacheScope.ofProject("shop"));
        assertThat(resolver(otherInstallation)
                        .cacheOf(there, WITH_SECRET)
                        .scope()
                        .prefix())
                .isEqualTo("cache/projects/shop/");
        assertThat(redis.redis().exists("cache-scope-key")).isZero();
    }

    /** Project {@code shop}, whose env is the one its deployments here are given. */
    private static void saveShop(RedisExtension installation) {
        new ProjectStore(installation.connector())
                .save(new Project(new ProjectName("shop"), REPOSITORY, "main", WITH_SECRET, false, Instant.now()));
    }

    private static BuildSettingsResolver resolver(RedisExtension installation) {
        return new BuildSettingsResolver(
                new DeploymentStore(installation.connector()),
                new ProjectStore(installation.connector()),
                new RepositoryScopes(installation.connector()));
    }

    private static DeploymentId accepted(RedisExtension installation, String project) {
        DeploymentId id = DeploymentId.random();
        new DeploymentTransitions(installation.connector(), Clock.systemUTC())
                .accept(
                        Deployment.accepted(
                                id,
                                REPOSITORY + ".git",
                                null,
                                project,
                                WITH_SECRET,
                                Clock.systemUTC().instant()),
                        Duration.ofHours(1));
        return id;
    }

    /** What anyone can compute offline for a guess of the variable's value: the scope's hash before it was keyed. */
    private static String plainHashScope(String guess) {
        String value = "API_TOKEN".length() + ":API_TOKEN=" + guess.length() + ":" + guess + "\n";
        String env =
                DigestUtils.sha256Hex(value.getBytes(StandardCharsets.UTF_8)).substring(0, 64);
        String text = REPOSITORY + "\nnull\nnull\n" + env;
        return "cache/repositories/"
                + DigestUtils.sha256Hex(text.getBytes(StandardCharsets.UTF_8)).substring(0, 32) + "/";
    }
}
