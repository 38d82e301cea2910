package dev.deploypipeline.deploy.egress;

import static dev.deploypipeline.deploy.egress.RelayProcess.shell;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.deploy.egress.RelayProcess.Finished;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The relay as a build runs it: as another user, to whom the socket was given, and in a network namespace of
 * its own ({@code bwrap --unshare-net}), whose loopback is not this machine's, so that a server on this
 * machine's 127.0.0.1 can be reached only through the gate.
 */
@Timeout(60)
class SandboxedRelayTest {

    private static final int BUILD_UID = 65_534; // nobody
    private static final int OTHER_UID = 65_533;

    @RegisterExtension
    final TestGates gates = new TestGates();

    @RegisterExtension
    final OriginServer origin = new OriginServer();

    @Test
    void inANetworkNamespaceOfItsOwnACommandReachesThisMachineOnlyThroughTheGate()
            throws IOException, InterruptedException {
        List<String> sandbox = List.of(
                "bwrap",
                "--ro-bind",
                "/",
                "/",
                "--dev",
                "/dev",
                "--proc",
                "/proc",
                "--unshare-net",
                "--unshare-pid",
                "--die-with-parent",
                "--bind",
                gates.folder().toString(),
                gates.folder().toString(),
                "--");
        assertThat(works(sandbox))
                .as("bubblewrap makes a network namespace here (apt-get install bubblewrap)")
                .isTrue();
        Gateway gateway = gates.open(origin.authority());

        Finished finished = new RelayProcess(gates.folder(), sandbox)
                .run(
                        gateway.socket(),
                        shell(
                                "curl -sS --noproxy '*' \"$1/direct\" 2>/dev/null || echo 'no direct way'; curl -sS -f \"$1/gated\"",
                                "http://" + origin.authority()));

        assertThat(finished.exitCode()).as(finished.errors()).isZero();
        assertThat(finished.output()).isEqualTo("no direct way\nhello from /gated");
        assertThat(origin.received()).extracting(OriginServer.Received::target).containsExactly("/gated");
    }

    @Test
    void onlyTheUserGivenTheSocketMayConnectThroughIt() throws IOException, InterruptedException {
        assertThat(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))
                .as("the tests run as root, as the service does, to give the socket to another user")
                .isEqualTo(0);
        Files.setPosixFilePermissions(gates.folder(), PosixFilePermissions.fromString("rwx--x--x"));
        Gateway gateway = gates.open(origin.authority());
        Files.setAttribute(gateway.socket(), "unix:uid", BUILD_UID);
        Files.setAttribute(gateway.socket(), "unix:gid", BUILD_UID);

        Finished build = new RelayProcess(gates.folder(), as(BUILD_UID))
                .run(gateway.socket(), shell("curl -sS -f \"$1/as-the-build\"", "http://" + origin.authority()));
        Finished other = new RelayProcess(gates.folder(), as(OTHER_UID)).run(gateway.socket(), shell("echo ran"));

        assertThat(build.exitCode()).as(build.errors()).isZero();
        assertThat(build.output()).isEqualTo("hello from /as-the-build");
        assertThat(other.exitCode()).isEqualTo(125);
        assertThat(other.errors())
                .isEqualTo("relay: cannot reach the network gateway at " + gateway.socket() + " (EACCES)\n");
    }

    private static List<String> as(int uid) {
        return List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--no-new-privs", "--");
    }

    private static boolean works(List<String> sandbox) throws IOException, InterruptedException {
        List<String> probe = new ArrayList<>(sandbox);
        probe.add("true");
        Process process = new ProcessBuilder(probe)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    }
}
