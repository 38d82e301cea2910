package dev.deploypipeline.deploy.egress;

import dev.deploypipeline.network.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS that gives the answers a test wrote, in turn (the last one again once they run out), and counts the
 * questions; a literal address answers itself, and any other name is unknown.
 */
final class ScriptedResolver implements HostResolver {

    private final Map<String, List<List<InetAddress>>> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    /** Adds the next answer for {@code host}: literal addresses. */
    ScriptedResolver answer(String host, String... addresses) throws UnknownHostException {
        List<InetAddress> answer = new ArrayList<>();
        for (String address : addresses) {
            answer.add(InetAddress.getByName(address)); // literals: no lookup
        }
        answers.computeIfAbsent(host, key -> new ArrayList<>()).add(List.copyOf(answer));
        return this;
    }

    int lookups(String host) {
        return lookups.getOrDefault(host, new AtomicInteger()).get();
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        int asked = lookups.computeIfAbsent(host, key -> new AtomicInteger()).getAndIncrement();
        List<List<InetAddress>> scripted = answers.get(host);
        if (scripted != null) {
            return scripted.get(Math.min(asked, scripted.size() - 1));
        }
        if (host.matches("[0-9.]+") || host.contains(":")) {
            return List.of(InetAddress.getByName(host));
        }
        throw new UnknownHostException(host);
    }
}
