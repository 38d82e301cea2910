package dev.deploypipeline.deploy.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A build's one way to the network: a proxy that listens on a Unix socket bound into its sandbox and connects
 * only where the address policy allows, telling the build's log of each destination it refuses.
 */
@FunctionalInterface
public interface NetworkGate {

    /** Listens on {@code socket} until the returned gate is closed; {@code name} names its threads and log lines. */
    AutoCloseable open(String name, Path socket, Consumer<String> refusals) throws IOException;
}
