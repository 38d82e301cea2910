package dev.deploypipeline.upload.hooks;

/** The body of {@code POST /projects/{name}/hooks}: what the hook is for. */
record HookRequest(String name) {}
