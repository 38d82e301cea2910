package dev.deploypipeline.site.routing;

import dev.deploypipeline.deployment.DeploymentId;

/**
 * A site that can be served: a deployment in state {@code deployed}.
 *
 * @param deployment whose {@code dist/{id}/} files are served
 * @param spaFallback whether unknown paths serve {@code index.html}, as its project asks
 */
public record Site(DeploymentId deployment, boolean spaFallback) {}
