package dev.deploypipeline.upload.projects;

/**
 * Which deployment a project's site serves now.
 *
 * @param pinned whether it stays there while later deployments build, until one is promoted or the pin lifted
 */
public record AliasView(String project, String id, boolean pinned) {}
