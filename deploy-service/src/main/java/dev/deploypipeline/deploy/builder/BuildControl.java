package dev.deploypipeline.deploy.builder;

import java.util.concurrent.CompletableFuture;

/** Lets another thread stop a running build: its commands are killed and it ends with {@link BuildStoppedException}. */
public final class BuildControl {

    private final CompletableFuture<String> stopped = new CompletableFuture<>();

    /** Stops the build, for {@code reason} (said in its log); a second call changes nothing. */
    public void stop(String reason) {
        stopped.complete(reason);
    }

    public boolean isStopped() {
        return stopped.isDone();
    }

    CompletableFuture<String> stopped() {
        return stopped;
    }

    void throwIfStopped() {
        if (isStopped()) {
            throw new BuildStoppedException(stopped.join());
        }
    }
}
