package dev.deploypipeline.deploy.worker;

import java.util.function.Supplier;

/**
 * Runs a short Redis step that a shutdown's interrupt must not cut: recording a build that has already ended,
 * or telling the queue what became of its id. Lettuce fails every command at once on an interrupted thread, so
 * the interrupt is set aside while the step runs and restored after, for the worker's loop to stop on.
 */
final class Interrupts {

    private Interrupts() {}

    static <T> T setAside(Supplier<T> step) {
        boolean interrupted = Thread.interrupted();
        try {
            return step.get();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void setAside(Runnable step) {
        setAside(() -> {
            step.run();
            return null;
        });
    }
}
