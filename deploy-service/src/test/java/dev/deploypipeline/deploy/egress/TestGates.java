package dev.deploypipeline.deploy.egress;

import dev.deploypipeline.network.AddressPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.util.FileSystemUtils;
import org.springframework.util.unit.DataSize;

/**
 * Opens gateways for a test with a scripted DNS and a loopback-only dialer, their sockets in a folder of its
 * own; registered as an extension, it closes them and removes the folder after the test.
 */
final class TestGates implements AfterEachCallback {

    static final EgressSettings SETTINGS = new EgressSettings(
            Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(5), DataSize.ofKilobytes(16), 8);

    final ScriptedResolver resolver = new ScriptedResolver();
    final LoopbackOnlyDialer dialer = new LoopbackOnlyDialer();
    final List<String> refusals = new CopyOnWriteArrayList<>();
    private final Path folder;
    private final List<Gateway> opened = new CopyOnWriteArrayList<>();

    TestGates() {
        try {
            folder = Files.createTempDirectory("egress-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test's own folder, where the sockets are. */
    Path folder() {
        return folder;
    }

    Gateway open(String... allowed) throws IOException {
        return open(SETTINGS, allowed);
    }

    Gateway open(EgressSettings settings, String... allowed) throws IOException {
        return open(settings, List.of(allowed), List.of());
    }

    Gateway open(EgressSettings settings, List<String> allowed, List<String> pipelineServices) throws IOException {
        return openAt(folder.resolve("gate-" + opened.size() + ".sock"), settings, allowed, pipelineServices);
    }

    /** A gateway named {@code test-<n>}, the n-th this test opened. */
    Gateway openAt(Path socket, EgressSettings settings, List<String> allowed, List<String> pipelineServices)
            throws IOException {
        EgressGate gate = new EgressGate(
                new DestinationCheck(new AddressPolicy(allowed, resolver), pipelineServices), dialer, settings);
        Gateway gateway = gate.open("test-" + opened.size(), socket, refusals::add);
        opened.add(gateway);
        return gateway;
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        opened.forEach(Gateway::close);
        FileSystemUtils.deleteRecursively(folder);
    }
}
