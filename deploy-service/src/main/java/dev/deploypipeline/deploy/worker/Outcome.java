package dev.deploypipeline.deploy.worker;

/** How one delivery of a deployment ended for the worker that took it. */
enum Outcome {
    /** Built and published; the deployment is {@code deployed}. */
    DEPLOYED,
    /** The deployment is {@code failed}, with the reason in its {@code error}. */
    FAILED,
    /** The deployment was cancelled while it built: its processes were killed and nothing was published. */
    CANCELLED,
    /** Another builder took the deployment over meanwhile; nothing was kept and nothing recorded. */
    DISCARDED,
    /** Not built: the deployment was already final (a duplicate delivery) or is unknown. */
    SKIPPED
}
