package dev.deploypipeline.deploy.cache;

import dev.deploypipeline.deploy.log.BuildLog;
import java.util.function.BooleanSupplier;

/** One build's use of the dependency cache: restored before its install, saved after it succeeded. */
public interface CachedBuild {

    /** A build without one: it reads and writes nothing. */
    CachedBuild NONE = new CachedBuild() {
        @Override
        public boolean restore(CacheContents contents, BooleanSupplier stopped) {
            return false;
        }

        @Override
        public boolean save() {
            return false;
        }
    };

    /**
     * A build without the cache, for the reason the log then says (a whole {@code [cache]} line), once there is
     * something it would cache.
     */
    static CachedBuild off(BuildLog buildLog, String reason) {
        return new CachedBuild() {
            @Override
            public boolean restore(CacheContents contents, BooleanSupplier stopped) {
                buildLog.line(reason);
                return false;
            }

            @Override
            public boolean save() {
                return false;
            }
        };
    }

    /**
     * Restores the entry for these contents, else the newest of its scope, into the build's folders, before
     * anything of the build has run; {@code true} when something was restored, so the install may prefer it to
     * the network. An entry that cannot be read, or holds more than an entry may, is left out, never fatal; so is
     * one whose restore was cut short because {@code stopped} said yes (the build was stopped or ran out of time).
     */
    boolean restore(CacheContents contents, BooleanSupplier stopped) throws InterruptedException;

    /**
     * Once the build succeeded and nothing of it runs: saves what it cached when that changed. Never fails the
     * build; the log says what was saved. Returns whether it wrote in the build's log.
     */
    boolean save() throws InterruptedException;
}
