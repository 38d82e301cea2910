package dev.deploypipeline.deployctl;

/** The API refused a call (its status and problem detail), or could not be reached (status 0). */
final class ApiException extends RuntimeException {

    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
