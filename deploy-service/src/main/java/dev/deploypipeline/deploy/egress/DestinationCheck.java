package dev.deploypipeline.deploy.egress;

import dev.deploypipeline.network.AddressPolicy;
import dev.deploypipeline.network.RefusedHostException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Where a build may connect: what the address policy allows, less the pipeline's own services (its Redis, its
 * S3 endpoint), which are refused even when public or allowlisted, by name and by every address they resolve
 * to. The destination is resolved once, here; the caller connects to exactly the addresses returned.
 */
final class DestinationCheck {

    // The policy words a failed lookup as a refusal; to the build it is an unknown host, not a forbidden one.
    private static final String UNRESOLVED = " could not be resolved";
    private static final Pattern LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    private final AddressPolicy policy;
    private final List<Destination> pipelineServices;

    /** @param pipelineServices {@code host:port} (or {@code host}, every port) entries; blank ones are skipped */
    DestinationCheck(AddressPolicy policy, Collection<String> pipelineServices) {
        this.policy = policy;
        this.pipelineServices = pipelineServices.stream()
                .filter(entry -> entry != null && !entry.isBlank())
                .map(entry -> Destination.parse(entry.strip(), OptionalInt.of(Destination.ANY_PORT)))
                .toList();
    }

    /**
     * The addresses to connect to for {@code destination}.
     *
     * @throws RefusedHostException when the build may not connect there, saying why
     * @throws UnknownHostException (not refused) when the host has no address
     */
    List<InetAddress> addressesFor(Destination destination) throws UnknownHostException {
        if (!destination.isValidPort()) {
            throw new RefusedHostException("port " + destination.port() + " is not a port a connection can be made to");
        }
        for (Destination service : servicesOn(destination.port())) {
            if (service.host().equals(destination.host())) {
                throw new RefusedHostException(destination + " is one of the pipeline's own services");
            }
        }
        List<InetAddress> addresses = resolve(destination);
        if (addresses.isEmpty()) {
            throw new UnknownHostException("host " + destination.host() + UNRESOLVED);
        }
        for (Destination service : servicesOn(destination.port())) {
            List<InetAddress> serviceAddresses = addressesOf(service.host());
            for (InetAddress address : addresses) {
                if (serviceAddresses.contains(address)) {
                    throw new RefusedHostException(refusalOfAddress(destination, address));
                }
            }
        }
        return addresses;
    }

    private List<InetAddress> resolve(Destination destination) throws UnknownHostException {
        try {
            return policy.resolve(destination.host(), destination.port());
        } catch (RefusedHostException e) {
            if (e.getMessage() != null && e.getMessage().endsWith(UNRESOLVED)) {
                throw new UnknownHostException(e.getMessage());
            }
            throw e;
        } catch (UnknownHostException e) {
            throw new UnknownHostException("host " + destination.host() + UNRESOLVED);
        }
    }

    private List<Destination> servicesOn(int port) {
        return pipelineServices.stream()
                .filter(service -> service.coversPort(port))
                .toList();
    }

    /** A service's addresses as they are now (they may move); one that cannot be resolved is matched by name only. */
    private List<InetAddress> addressesOf(String host) {
        try {
            return LITERAL.matcher(host).matches() ? List.of(InetAddress.getByName(host)) : policy.resolveAllowed(host);
        } catch (UnknownHostException e) {
            return List.of();
        }
    }

    private static String refusalOfAddress(Destination destination, InetAddress address) {
        String where = new Destination(address.getHostAddress(), destination.port()).toString();
        return address.getHostAddress().equals(destination.host())
                ? where + " is one of the pipeline's own services"
                : "host " + destination.host() + " resolves to " + address.getHostAddress() + ", and " + where
                        + " is one of the pipeline's own services";
    }
}
