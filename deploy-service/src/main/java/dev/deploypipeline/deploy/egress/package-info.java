/**
 * A build's only way out of its network namespace. {@link dev.deploypipeline.deploy.egress.EgressGate} opens one
 * {@link dev.deploypipeline.deploy.egress.Gateway} per build: an HTTP(S) proxy on a Unix domain socket, which the
 * caller gives to the build's user ({@code chown}) and binds into the sandbox. Inside, {@code egress/relay.js}
 * ({@link dev.deploypipeline.deploy.egress.EgressRelay}) listens on a loopback port, points the proxy variables of
 * the build's command at it, and carries each connection to the socket. Every destination is checked by the
 * address policy and against the pipeline's own services, resolved once and connected at exactly the checked
 * addresses; a refusal is answered 403 and told to the build's log.
 */
package dev.deploypipeline.deploy.egress;
