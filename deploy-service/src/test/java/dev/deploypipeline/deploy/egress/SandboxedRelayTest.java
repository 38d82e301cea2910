package dev.deploypipeline.deploy.egress;

import static dev.deploypipeline.deploy.egress.RelayProcess.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.deploypipeline.deploy.egress.RelayProcess.Finished;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The relay inside a network namespace of its own, as a build runs ({@code bwrap --unshare-net}): its loopback
 * is not this machine's, so a server on this machine's 127.0.0.1 can be reached only through the gate.
 */
@Timeout(60)
class SandboxedRelayTest {

    @RegisterExtension
    final TestGates gates = new TestGates();
    @RegisterExtension
    final OriginServer origin = new OriginServer();

    @Test
    void inANetworkNamespaceOfItsOwnACommandReachesThisMachineOnlyThroughTheGate()
            throws IOException, InterruptedException {
        List<String> sandbox = List.of("bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                "--unshare-net", "--unshare-pid", "--die-with-parent",
                "--bind", gates.folder().toString(), gates.folder().toString(), "--");
        assumeTrue(works(sandbox), "bubblewrap cannot make a network namespace here");
        Gateway gateway = gates.open(origin.authority());

        Finished finished = new RelayProcess(gates.folder(), sandbox).run(gateway.socket(), shell(
                "curl -sS --noproxy '*' \"$1/direct\" 2>/dev/null || echo 'no direct way'; curl -sS -f \"$1/gated\"",
                "http://" + origin.authority()));

        assertThat(finished.exitCode()).as(finished.errors()).isZero();
        assertThat(finished.output()).isEqualTo("no direct way\nhello from /gated");
        assertThat(origin.received()).extracting(OriginServer.Received::target).containsExactly("/gated");
    }

    private static boolean works(List<String> sandbox) throws IOException, InterruptedException {
        List<String> probe = new ArrayList<>(sandbox);
        probe.add("true");
        Process process = new ProcessBuilder(probe).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    }
}
