'use strict';
// The relay inside a build's sandbox, whose network namespace has only a loopback interface: the one way
// out is the deploy service's network gateway, an HTTP(S) proxy on a Unix socket bound into the sandbox.
// Most tools speak to a proxy over TCP only, so this listens on 127.0.0.1:<ephemeral port>, points the proxy
// variables of the command it runs there, and carries each TCP connection to a new connection to the socket.
//
//   node relay.js <unix-socket-path> -- <command> [args...]
//
// It exits with the command's exit code, or 128 + the signal's number when a signal ended the command;
// 125 when the relay itself could not start, 126 when the command could not be run, 127 when not found.
// No npm dependencies: it runs on the Node the build uses (20 or later).

const fs = require('fs');
const net = require('net');
const os = require('os');
const { spawn } = require('child_process');

const RELAY_FAILED = 125;

// Who reads what (checked against npm 11, pnpm 9, yarn 1.22, yarn 4 and corepack 0.34):
// - npm and pnpm: their https-proxy/proxy settings (npm_config_*), else HTTPS_PROXY/https_proxy;
// - yarn 1: npm_config_https_proxy/npm_config_proxy (and YARN_HTTPS_PROXY), else HTTPS_PROXY/HTTP_PROXY;
// - yarn 2+ (berry): only its own httpProxy/httpsProxy settings, hence YARN_HTTP_PROXY/YARN_HTTPS_PROXY;
// - corepack: npm_config_https_proxy, https_proxy/HTTPS_PROXY, npm_config_proxy or all_proxy (proxy-from-env);
// - curl and git: http_proxy (lower case only), https_proxy/HTTPS_PROXY, ALL_PROXY;
// - Node's own fetch and http(s) modules: none on Node 20; NODE_USE_ENV_PROXY=1 makes Node 22.21+ and 24.5+
//   use HTTP(S)_PROXY.
const PROXY_VARIABLES = [
  'HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy',
  'npm_config_proxy', 'npm_config_https_proxy', 'YARN_HTTP_PROXY', 'YARN_HTTPS_PROXY',
];
// Nothing bypasses the proxy: there is no other way out of the sandbox.
const NO_PROXY_VARIABLES = ['NO_PROXY', 'no_proxy', 'npm_config_noproxy', 'npm_config_no_proxy'];
const FORWARDED_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'];

function fail(message) {
  process.stderr.write(`relay: ${message}\n`);
  process.exit(RELAY_FAILED);
}

function parseArguments(argv) {
  const [socketPath, separator, command, ...args] = argv;
  if (!socketPath || separator !== '--' || !command) {
    fail('usage: node relay.js <unix-socket-path> -- <command> [args...]');
  }
  return { socketPath, command, args };
}

/** Calls back once the gateway takes a connection, or ends the relay saying why it cannot be reached. */
function checkGateway(socketPath, then) {
  let stat;
  try {
    stat = fs.statSync(socketPath);
  } catch (error) {
    fail(`the network gateway's socket ${socketPath} is missing (${error.code})`);
  }
  if (!stat.isSocket()) {
    fail(`${socketPath} is not the network gateway's socket`);
  }
  const probe = net.createConnection({ path: socketPath });
  probe.on('connect', () => {
    probe.end();
    then();
  });
  probe.on('error', (error) => fail(`cannot reach the network gateway at ${socketPath} (${error.code})`));
}

function relayConnection(socketPath, tcp) {
  const gateway = net.createConnection({ path: socketPath, allowHalfOpen: true });
  let connected = false;
  gateway.on('connect', () => {
    connected = true;
  });
  gateway.on('error', (error) => {
    if (connected) {
      tcp.destroy();
      return;
    }
    const body = `the network gateway cannot be reached (${error.code})\n`;
    tcp.end(`HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}`
      + `\r\nConnection: close\r\n\r\n${body}`);
  });
  tcp.on('error', () => gateway.destroy());
  // pipe() ends the other side's writing half when one side ends: a half-close goes through either way.
  tcp.pipe(gateway);
  gateway.pipe(tcp);
}

function childEnvironment(port) {
  const proxy = `http://127.0.0.1:${port}`;
  const names = new Set([...PROXY_VARIABLES, ...NO_PROXY_VARIABLES, 'NODE_USE_ENV_PROXY'].map((n) => n.toLowerCase()));
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!names.has(name.toLowerCase())) {
      env[name] = value; // other spellings of the names set below would compete with them
    }
  }
  for (const name of PROXY_VARIABLES) {
    env[name] = proxy;
  }
  for (const name of NO_PROXY_VARIABLES) {
    env[name] = '';
  }
  env.NODE_USE_ENV_PROXY = '1';
  return env;
}

function runCommand(command, args, env, server) {
  const child = spawn(command, args, { stdio: 'inherit', env });
  for (const signal of FORWARDED_SIGNALS) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('error', (error) => {
    process.stderr.write(`relay: cannot run ${command}: ${error.message}\n`);
    process.exit(error.code === 'ENOENT' ? 127 : 126);
  });
  child.on('exit', (code, signal) => {
    server.close();
    process.exit(signal ? 128 + (os.constants.signals[signal] || 0) : code);
  });
}

function main() {
  const { socketPath, command, args } = parseArguments(process.argv.slice(2));
  checkGateway(socketPath, () => {
    const server = net.createServer({ allowHalfOpen: true }, (tcp) => relayConnection(socketPath, tcp));
    server.on('error', (error) => fail(`cannot listen on 127.0.0.1 (${error.code})`));
    server.listen(0, '127.0.0.1', () => runCommand(command, args, childEnvironment(server.address().port), server));
  });
}

main();
