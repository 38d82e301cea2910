package dev.deploypipeline.deploy.egress;

import dev.deploypipeline.network.AddressPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.util.unit.DataSize;

/** Opens gateways for a test with a scripted DNS and a loopback-only dialer, and closes them after it. */
final class TestGates implements AutoCloseable {

    static final EgressSettings SETTINGS = new EgressSettings(Duration.ofSeconds(2), Duration.ofSeconds(30),
            Duration.ofSeconds(5), DataSize.ofKilobytes(16), 8);

    final ScriptedResolver resolver = new ScriptedResolver();
    final LoopbackOnlyDialer dialer = new LoopbackOnlyDialer();
    final List<String> refusals = new CopyOnWriteArrayList<>();
    private final Path folder;
    private final List<Gateway> opened = new CopyOnWriteArrayList<>();

    TestGates(Path folder) {
        this.folder = folder;
    }

    Gateway open(String... allowed) throws IOException {
        return open(SETTINGS, List.of(allowed), List.of());
    }

    Gateway open(EgressSettings settings, List<String> allowed, List<String> pipelineServices) throws IOException {
        EgressGate gate = new EgressGate(new DestinationCheck(new AddressPolicy(allowed, resolver), pipelineServices),
                dialer, settings);
        Gateway gateway = gate.open("test-" + opened.size(), folder.resolve("gate-" + opened.size() + ".sock"),
                refusals::add);
        opened.add(gateway);
        return gateway;
    }

    @Override
    public void close() {
        opened.forEach(Gateway::close);
    }
}
