package dev.deploypipeline.upload.retention;

/** Another upload-service is sweeping now: a purge on demand waits for it to finish. */
public class SweepRunningException extends RuntimeException {

    SweepRunningException() {
        super("another upload-service is purging now; try again in a minute");
    }
}
