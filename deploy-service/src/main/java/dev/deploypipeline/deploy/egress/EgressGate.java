package dev.deploypipeline.deploy.egress;

import dev.deploypipeline.network.AddressPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * The only way out of a build's network namespace: an HTTP(S) proxy per build, on a Unix domain socket bound
 * into its sandbox, that lets a connection through when the address policy allows its destination
 * ({@code BUILD_EGRESS_ALLOWED_HOSTS}: public addresses and the allowlist) and it is none of the pipeline's own
 * services. {@code CONNECT host:port} opens a tunnel; an absolute-form {@code http://} request is passed on
 * once. Each destination is resolved once and connected at exactly the addresses checked, so an answer that
 * changes after the check (DNS rebinding) is never used.
 */
public final class EgressGate {

    private final UpstreamConnector connector;
    private final EgressSettings settings;

    /**
     * @param policy the addresses builds may reach
     * @param pipelineServices {@code host:port} entries (a {@code host} alone means every port) refused even when
     *     public or allowlisted: the pipeline's Redis and S3 endpoint; matched on the name asked for and on every
     *     address it resolves to
     */
    public EgressGate(AddressPolicy policy, Collection<String> pipelineServices, EgressSettings settings) {
        this(new DestinationCheck(policy, pipelineServices), Dialer.TCP, settings);
    }

    EgressGate(DestinationCheck check, Dialer dialer, EgressSettings settings) {
        this.connector = new UpstreamConnector(check, dialer, settings.connectTimeout());
        this.settings = settings;
    }

    /**
     * Opens a build's gateway: it listens on {@code socketFile} (creating its folder, passable by all, if missing;
     * replacing a socket left there) until closed. The file may be connected to by its owner only: the caller
     * hands it to the build's user. The path must be short enough for a socket address (about 100 bytes).
     *
     * @param name names the gateway's threads and log lines, such as the deployment's id
     * @param refusals gets a line for the build's log for each connection refused, from the gateway's threads
     */
    public Gateway open(String name, Path socketFile, Consumer<String> refusals) throws IOException {
        return Gateway.open(name, socketFile, refusals, connector, settings);
    }
}
