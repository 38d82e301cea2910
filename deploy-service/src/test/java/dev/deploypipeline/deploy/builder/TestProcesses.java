package dev.deploypipeline.deploy.builder;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds a build's processes from outside it. A build may run in a PID namespace, where the pids it sees are
 * not this machine's, so tests start {@code sleep} with an unlikely number of seconds and look for that.
 */
public final class TestProcesses {

    private TestProcesses() {}

    /** A number of seconds no other process sleeps for: a marker that lasts about a day. */
    public static String marker() {
        return Long.toString(86_400 + ThreadLocalRandom.current().nextInt(1_000_000));
    }

    /** The live processes that have {@code argument} as one of their arguments. */
    public static List<ProcessHandle> withArgument(String argument) {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info()
                        .arguments()
                        .map(Arrays::asList)
                        .orElse(List.of())
                        .contains(argument))
                .filter(ProcessHandle::isAlive)
                .toList();
    }
}
