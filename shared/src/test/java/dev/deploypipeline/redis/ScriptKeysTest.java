package dev.deploypipeline.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.testing.LuaScripts;
import io.lettuce.core.cluster.SlotHash;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * On a Redis Cluster a script runs on the node of its KEYS, and a script or BLMOVE whose keys are in two slots is
 * refused: so every key a script touches must arrive in KEYS, and with a hash tag as prefix every key is in one slot.
 */
class ScriptKeysTest {

    private static final String TAG = "{deploy}:";

    @Test
    void everyScriptOfTheSharedLibraryTouchesOnlyTheKeysItIsGiven() {
        Map<String, LuaScript> scripts = LuaScripts.in("dev.deploypipeline");

        assertThat(scripts)
                .containsKeys(
                        "DeploymentTransitions.ACCEPT",
                        "DeploymentTransitions.REAP",
                        "ProjectStore.PROMOTE",
                        "RedisDeploymentQueue.POSITION",
                        "QueueRecovery.RELEASE");
        scripts.forEach((name, script) ->
                assertThat(LuaScripts.keysNotDeclared(script.source())).as(name).isEmpty());
    }

    @Test
    void theReadingFindsKeysNamedFromArgvLiteralsOrGluedTogether() {
        assertThat(LuaScripts.keysNotDeclared("redis.call('GET', ARGV[1])")).hasSize(1);
        assertThat(LuaScripts.keysNotDeclared("redis.call('HSET', 'status', ARGV[1], 'x')"))
                .hasSize(1);
        assertThat(LuaScripts.keysNotDeclared("redis.call('DEL', KEYS[1] .. ':' .. ARGV[1])"))
                .hasSize(1);
        assertThat(LuaScripts.keysNotDeclared(
                        "local record = 'deployment:' .. ARGV[1]\nredis.call('HGET', record, 'a')"))
                .hasSize(1);
        assertThat(
                        LuaScripts.keysNotDeclared(
                                "local id, record = ARGV[1], KEYS[2]\nredis.call('HGET', record, id)\nredis.call('PUBLISH', ARGV[2], id)"))
                .isEmpty();
    }

    @Test
    void withAHashTagPrefixEveryKeyAndChannelIsInTheSlotOfTheTag() {
        RedisKeys keys = new RedisKeys(TAG);
        Map<String, Integer> slots = new TreeMap<>();
        for (Method method : RedisKeys.class.getDeclaredMethods()) {
            boolean keyOrChannel = Modifier.isPublic(method.getModifiers())
                    && !Modifier.isStatic(method.getModifiers())
                    && method.getReturnType() == String.class
                    && !method.getName().startsWith("consumerOf")
                    && !method.getName().equals("toString")
                    && Arrays.stream(method.getParameterTypes()).allMatch(type -> type == String.class);
            if (keyOrChannel) {
                Object[] args = Arrays.stream(method.getParameterTypes())
                        .map(type -> "some-name")
                        .toArray();
                String key = invoke(method, keys, args);
                assertThat(key).as(method.getName()).startsWith(TAG);
                slots.put(method.getName() + " " + key, SlotHash.getSlot(key));
            }
        }

        assertThat(slots).containsKeys("queue {deploy}:build-queue", "status {deploy}:status");
        assertThat(slots.values()).as(slots.toString()).containsOnly(SlotHash.getSlot("deploy"));
    }

    private static String invoke(Method method, RedisKeys keys, Object[] args) {
        try {
            return (String) method.invoke(keys, args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
