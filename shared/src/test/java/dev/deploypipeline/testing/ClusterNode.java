package dev.deploypipeline.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** A node of {@link RedisClusterServer} as a line of {@code CLUSTER NODES} shows it: id, port, role, master, slots. */
record ClusterNode(String id, int port, boolean master, String masterId, List<int[]> slots) {

    /** A master that has failed counts as none: its replica takes its slots. */
    static ClusterNode parse(String line) {
        String[] fields = line.split(" ");
        String address = fields[1].split("@")[0];
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        List<int[]> slots = new ArrayList<>();
        for (int i = 8; i < fields.length; i++) {
            if (!fields[i].startsWith("[")) {
                String[] range = fields[i].split("-");
                int from = Integer.parseInt(range[0]);
                slots.add(new int[] {from, range.length > 1 ? Integer.parseInt(range[1]) : from});
            }
        }
        boolean master = fields[2].contains("master") && !fields[2].contains("fail");
        return new ClusterNode(fields[0], port, master, fields[3], slots);
    }

    boolean serves(int slot) {
        return slots.stream().anyMatch(range -> range[0] <= slot && slot <= range[1]);
    }

    /** A port free on loopback whose cluster bus port (+10000) is free too: below 55536, and taken by no node yet. */
    static int freePort(Collection<Integer> taken) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 55536);
            if (!taken.contains(port) && !taken.contains(port - 10000) && free(port) && free(port + 10000)) {
                return port;
            }
        }
        throw new IllegalStateException("found no free pair of loopback ports below 55536");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
