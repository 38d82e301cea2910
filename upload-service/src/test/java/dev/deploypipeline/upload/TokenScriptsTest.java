package dev.deploypipeline.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.redis.LuaScript;
import dev.deploypipeline.testing.LuaScripts;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** On a Redis Cluster a script runs where its KEYS are: upload-service's own scripts touch no other key. */
class TokenScriptsTest {

    @Test
    void everyScriptOfTheServiceTouchesOnlyTheKeysItIsGiven() {
        Map<String, LuaScript> scripts = LuaScripts.in("dev.deploypipeline.upload");

        assertThat(scripts).containsKeys("TokenStore.SAVE", "TokenStore.REVOKE");
        scripts.forEach((name, script) ->
                assertThat(LuaScripts.keysNotDeclared(script.source())).as(name).isEmpty());
    }
}
