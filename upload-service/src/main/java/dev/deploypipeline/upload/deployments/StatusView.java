package dev.deploypipeline.upload.deployments;

/** {@code {"id", "status"}}: the answer of {@code POST /deploy} and {@code GET /status}. */
public record StatusView(String id, String status) {}
