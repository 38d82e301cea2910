package dev.deploypipeline.deployctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
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

    @Test
    void whatABuildPrintsCannotDriveTheTerminalColoursAreDroppedAndOtherControlsShown() throws Exception {
        String log = "2026-12-01T00:00:00Z \u001b[32mok\u001b[0m\u001b]52;c;cHduZWQ=\u0007\u001b[2J\rhidden"
                + "\u009b2J\u202e\n";
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/deployments/x/logs", exchange -> answer(exchange, "text/plain", log));
        api.createContext(
                "/deployments/x",
                exchange -> answer(
                        exchange,
                        "application/json",
                        "{\"id\": \"x\", \"status\": \"failed\", \"branch\": \"main\\u009b2J\","
                                + " \"error\": \"build failed\\n\\u001b]0;owned\\u0007\"}"));
        api.start();
        try {
            String where = "http://127.0.0.1:" + api.getAddress().getPort();

            assertThat(run("--api", where, "logs", "x")).isZero();
            assertThat(run("--api", where, "status", "x")).isZero();
        } finally {
            api.stop(0);
        }

        assertThat(out.toString())
                .contains("ok\\u001b]52;c;cHduZWQ=\\u0007\\u001b[2J\\u000dhidden\\u009b2J\\u202e\n")
                .contains("main\\u009b2J", "build failed\n\\u001b]0;owned\\u0007")
                .doesNotContain("\u001b", "\u0007", "\r", "\u009b", "\u202e");
    }

    private static void answer(HttpExchange exchange, String type, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type + "; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private int run(String... arguments) {
        CommandLine line = Deployctl.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        return line.execute(arguments);
    }
}
