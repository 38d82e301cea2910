package dev.deploypipeline.deployctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line itself; DashboardAndClientTest in system-tests runs it against the real services. */
class DeployctlTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void aTargetWithASchemeAtOrSlashIsARepositoryAndABareNameAProject() {
        assertThat(DeployCommand.isRepository("https://github.com/acme/shop")).isTrue();
        assertThat(DeployCommand.isRepository("git@github.com:acme/shop.git")).isTrue();
        assertThat(DeployCommand.isRepository("shop")).isFalse();
        assertThat(DeployCommand.isRepository("shop-v2")).isFalse();
    }

    @Test
    void finalStatesGiveTheirOwnExitCodes() {
        assertThat(Deployctl.exitCodeFor("deployed")).isZero();
        assertThat(Deployctl.exitCodeFor("failed")).isEqualTo(1);
        assertThat(Deployctl.exitCodeFor("cancelled")).isEqualTo(3);
    }

    @Test
    void aWrongCommandLineExitsTwoWithTheUsage() {
        int code = run("deploy");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter", "Usage: deployctl deploy");
    }

    @Test
    void anApiNobodyAnswersAtExitsFourSayingWhereItLooked() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        int code = run("--api", "http://127.0.0.1:" + port, "list");

        assertThat(code).isEqualTo(4);
        assertThat(err.toString()).contains("cannot reach the API at http://127.0.0.1:" + port, "DEPLOY_API");
    }

    @Test
    void optionsOfTheClientAreAcceptedAfterTheCommandToo() {
        CommandLine line = Deployctl.commandLine();
        line.parseArgs("status", "abc", "--json", "--api", "http://api.example:3000", "--token", "dp_x");
        Deployctl root = line.getCommand();

        assertThat(root.json).isTrue();
        assertThat(root.api).isEqualTo("http://api.example:3000");
        assertThat(root.token).isEqualTo("dp_x");
    }

    private int run(String... arguments) {
        CommandLine line = Deployctl.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        return line.execute(arguments);
    }
}
