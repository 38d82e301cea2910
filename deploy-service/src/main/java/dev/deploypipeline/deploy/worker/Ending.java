package dev.deploypipeline.deploy.worker;

/** How building and publishing a deployment ended, before it is recorded. */
record Ending(Outcome outcome, String reason) {

    private static final int MAX_REASON_LENGTH = 4000;

    static Ending published() {
        return new Ending(Outcome.DEPLOYED, null);
    }

    static Ending failed(String reason) {
        return new Ending(
                Outcome.FAILED,
                reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) + "…" : reason);
    }

    String summary() {
        return switch (outcome) {
            case DEPLOYED -> "Published the site";
            case FAILED -> "Failed: " + reason.lines().findFirst().orElse(reason);
            case CANCELLED -> "Stopped: the deployment was cancelled";
            default -> "Stopped: another builder has taken the deployment over";
        };
    }
}
