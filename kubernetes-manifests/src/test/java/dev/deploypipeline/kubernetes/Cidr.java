package dev.deploypipeline.kubernetes;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A block of addresses as an {@code ipBlock} writes it, {@code 10.0.0.0/8}. */
record Cidr(byte[] network, int prefix) {

    static Cidr of(String block) {
        int slash = block.indexOf('/');
        return new Cidr(bytes(block.substring(0, slash)), Integer.parseInt(block.substring(slash + 1)));
    }

    boolean contains(String address) {
        byte[] candidate = bytes(address);
        if (candidate.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((candidate[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** A literal address, which getByName parses without a lookup. */
    private static byte[] bytes(String literal) {
        if (!literal.matches("[0-9a-fA-F.:]+")) {
            throw new IllegalArgumentException("not an address literal: " + literal);
        }
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
