package dev.deploypipeline.upload.projects;

/** The body of {@code POST /projects/{name}/rollback}: the deployment the project's site should serve. */
public record RollbackRequest(String id) {}
