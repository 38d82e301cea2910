package dev.deploypipeline.upload.projects;

/** Which deployment a project's site serves now. */
public record AliasView(String project, String id) {}
