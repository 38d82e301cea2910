package dev.deploypipeline.network;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Tells whether an address is public, one the pipeline may connect to on a stranger's say-so (a repository, a
 * build's package registry): everything the IANA special-purpose registries mark as not globally reachable is
 * refused, and IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4) are judged by that IPv4 address.
 */
public final class AddressClassifier {

    private static final List<Range> V4 = List.of(
            new Range("0.0.0.0", 8, "an unspecified (\"this network\")"),
            new Range("10.0.0.0", 8, "a private"),
            new Range("100.64.0.0", 10, "a carrier-grade NAT (shared)"),
            new Range("127.0.0.0", 8, "a loopback"),
            new Range("169.254.0.0", 16, "a link-local (cloud metadata)"),
            new Range("172.16.0.0", 12, "a private"),
            new Range("192.0.0.0", 24, "an IETF protocol"),
            new Range("192.0.2.0", 24, "a documentation"),
            new Range("192.88.99.0", 24, "a 6to4 relay"),
            new Range("192.168.0.0", 16, "a private"),
            new Range("198.18.0.0", 15, "a benchmarking"),
            new Range("198.51.100.0", 24, "a documentation"),
            new Range("203.0.113.0", 24, "a documentation"),
            new Range("224.0.0.0", 4, "a multicast"),
            new Range("240.0.0.0", 4, "a reserved (or broadcast)"));

    private static final List<Range> V6 = List.of(
            new Range("::", 128, "an unspecified"),
            new Range("::1", 128, "a loopback"),
            new Range("::", 96, "an IPv4-compatible"),
            new Range("64:ff9b:1::", 48, "a local NAT64"),
            new Range("100::", 64, "a discard-only"),
            new Range("2001::", 23, "an IETF protocol (Teredo and others)"),
            new Range("2001:db8::", 32, "a documentation"),
            new Range("fc00::", 7, "a unique-local (private)"),
            new Range("fe80::", 10, "a link-local"),
            new Range("fec0::", 10, "a site-local"),
            new Range("ff00::", 8, "a multicast"));

    private static final Range MAPPED = new Range("::ffff:0:0", 96, "");
    private static final Range NAT64 = new Range("64:ff9b::", 96, "");
    private static final Range SIX_TO_FOUR = new Range("2002::", 16, "");

    private AddressClassifier() {}

    /** What kind of non-public address this is ("a loopback", "a private", ...), or empty when it is public. */
    public static Optional<String> nonPublicKind(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            if (MAPPED.contains(bytes) || NAT64.contains(bytes)) {
                return nonPublicKind(ipv4(Arrays.copyOfRange(bytes, 12, 16)));
            }
            if (SIX_TO_FOUR.contains(bytes)) {
                return nonPublicKind(ipv4(Arrays.copyOfRange(bytes, 2, 6)));
            }
        }
        List<Range> ranges = address instanceof Inet4Address ? V4 : V6;
        return ranges.stream()
                .filter(range -> range.contains(bytes))
                .map(Range::kind)
                .findFirst();
    }

    private static InetAddress ipv4(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CIDR block. */
    private record Range(byte[] network, int prefix, String kind) {

        Range(String network, int prefix, String kind) {
            this(literal(network), prefix, kind);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        private static byte[] literal(String network) {
            try {
                // A literal, so no lookup; IPv4-mapped literals would come back as IPv4, hence the raw form.
                byte[] bytes = InetAddress.getByName(network).getAddress();
                return network.contains(":") && bytes.length == 4 ? mappedBytes(bytes) : bytes;
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(network, e);
            }
        }

        private static byte[] mappedBytes(byte[] ipv4) {
            byte[] bytes = new byte[16];
            bytes[10] = (byte) 0xff;
            bytes[11] = (byte) 0xff;
            System.arraycopy(ipv4, 0, bytes, 12, 4);
            return bytes;
        }
    }
}
