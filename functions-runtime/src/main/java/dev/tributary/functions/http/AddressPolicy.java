package dev.tributary.functions.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where outgoing HTTP from functions may go (the SSRF guard of SPEC §2.3, shared by {@code http}
 * functions and the {@code http.request} connector): a host is refused when <em>any</em> address it
 * resolves to is not a public unicast address — loopback, unspecified ({@code 0.0.0.0/8},
 * {@code ::}), private ({@code 10/8}, {@code 172.16/12}, {@code 192.168/16}), carrier-grade NAT
 * ({@code 100.64/10}), link-local ({@code 169.254/16} with the cloud metadata service,
 * {@code fe80::/10}), unique-local ({@code fc00::/7}), site-local ({@code fec0::/10}), multicast,
 * reserved and benchmarking ranges — including IPv4 addresses dressed as IPv6 (mapped,
 * compatible, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}). A server started with
 * {@code --allow-private-http} allows everything.
 *
 * <p>Callers check every hop of a redirect chain. DNS rebinding (a name that resolves to a public
 * address for the check and to a private one for the connection) is narrowed, not closed: the
 * check resolves through the JVM's address cache ({@code networkaddress.cache.ttl}, 30 s unless
 * configured otherwise) and the JDK HTTP client connects through the same cache a moment later,
 * so a second, different answer is only seen if the cached entry expires in between. Closing the
 * gap needs the connection made to the checked address itself (a custom resolver arrives with the
 * JDK 18 {@code InetAddressResolver} SPI). Do not run the server with a cache TTL of 0.
 */
public final class AddressPolicy {

    /** Why a host was refused: the first non-public address it resolves to. */
    public record Refusal(String host, InetAddress address, String reason) {

        /** {@code localhost resolves to 127.0.0.1 (loopback)} */
        public String describe() {
            return isLiteral(host) ? host + " is " + reason : host + " resolves to " + address.getHostAddress() + " (" + reason + ")";
        }

        /** An IPv6 literal (only those have colons) or dotted IPv4: nothing was looked up. */
        private static boolean isLiteral(String host) {
            return host.indexOf(':') >= 0 || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        }
    }

    private record Block(byte[] prefix, int bits, String reason) {

        static Block of(String cidr, String reason) {
            String[] parts = cidr.split("/");
            try {
                return new Block(InetAddress.getByName(parts[0]).getAddress(), Integer.parseInt(parts[1]), reason);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("Expected an address literal, but got " + cidr, e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return rest == 0 || (address[whole] & mask) == (prefix[whole] & mask);
        }
    }

    private static final List<Block> IPV4 = List.of(
            Block.of("0.0.0.0/8", "unspecified"),
            Block.of("10.0.0.0/8", "private"),
            Block.of("100.64.0.0/10", "carrier-grade NAT"),
            Block.of("127.0.0.0/8", "loopback"),
            Block.of("169.254.0.0/16", "link-local"),
            Block.of("172.16.0.0/12", "private"),
            Block.of("192.0.0.0/24", "IETF protocol assignments"),
            Block.of("192.168.0.0/16", "private"),
            Block.of("198.18.0.0/15", "benchmarking"),
            Block.of("224.0.0.0/4", "multicast"),
            Block.of("240.0.0.0/4", "reserved"));

    private static final List<Block> IPV6 = List.of(
            Block.of("::/128", "unspecified"),
            Block.of("::1/128", "loopback"),
            Block.of("fc00::/7", "unique-local"),
            Block.of("fe80::/10", "link-local"),
            Block.of("fec0::/10", "site-local"),
            Block.of("ff00::/8", "multicast"));

    /** An IPv6 form that carries an IPv4 address, and where its four bytes are. */
    private record Carrier(Block block, int at) {
    }

    private static final List<Carrier> IPV4_INSIDE_IPV6 = List.of(
            new Carrier(new Block(mappedPrefix(), 96, "IPv4-mapped"), 12),
            new Carrier(Block.of("::/96", "IPv4-compatible"), 12),
            new Carrier(Block.of("64:ff9b::/96", "NAT64"), 12),
            new Carrier(Block.of("2002::/16", "6to4"), 2));

    /** {@code ::ffff:0:0}, built by hand: the JDK turns that literal into an IPv4 address. */
    private static byte[] mappedPrefix() {
        byte[] prefix = new byte[16];
        prefix[10] = (byte) 0xFF;
        prefix[11] = (byte) 0xFF;
        return prefix;
    }

    private final boolean allowPrivate;
    private final InetSocketAddress exception;

    private AddressPolicy(boolean allowPrivate, InetSocketAddress exception) {
        this.allowPrivate = allowPrivate;
        this.exception = exception;
    }

    /** Only public addresses: the default. */
    public static AddressPolicy publicOnly() {
        return new AddressPolicy(false, null);
    }

    /** Everything, as with {@code --allow-private-http}. */
    public static AddressPolicy allowingPrivate() {
        return new AddressPolicy(true, null);
    }

    public static AddressPolicy of(boolean allowPrivate) {
        return allowPrivate ? allowingPrivate() : publicOnly();
    }

    /**
     * This policy, also allowing exactly one address and port (say one internal service, or a test
     * server on loopback); the same address on another port stays refused.
     */
    public AddressPolicy alsoAllowing(InetSocketAddress address) {
        return new AddressPolicy(allowPrivate, address);
    }

    public boolean allowsPrivate() {
        return allowPrivate;
    }

    /**
     * Resolves {@code host} (a name or an address literal, IPv6 with or without brackets) and
     * finds the first address that is not allowed on {@code port}.
     *
     * @throws UnknownHostException when the name does not resolve
     */
    public Optional<Refusal> check(String host, int port) throws UnknownHostException {
        if (allowPrivate) {
            return Optional.empty();
        }
        for (InetAddress address : InetAddress.getAllByName(host)) {
            Optional<String> reason = nonPublic(address);
            if (reason.isPresent() && !isException(address, port)) {
                return Optional.of(new Refusal(host, address, reason.get()));
            }
        }
        return Optional.empty();
    }

    /** Why {@code address} is not a public unicast address, or empty when it is one. */
    public static Optional<String> nonPublic(InetAddress address) {
        return nonPublic(address.getAddress());
    }

    private static Optional<String> nonPublic(byte[] bytes) {
        if (bytes.length == 4) {
            return reasonIn(IPV4, bytes);
        }
        Optional<String> reason = reasonIn(IPV6, bytes);
        if (reason.isPresent()) {
            return reason;
        }
        for (Carrier carrier : IPV4_INSIDE_IPV6) {
            if (carrier.block().contains(bytes)) {
                return nonPublic(Arrays.copyOfRange(bytes, carrier.at(), carrier.at() + 4))
                        .map(inner -> inner + ", as " + carrier.block().reason());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> reasonIn(List<Block> blocks, byte[] bytes) {
        return blocks.stream().filter(b -> b.contains(bytes)).map(Block::reason).findFirst();
    }

    private boolean isException(InetAddress address, int port) {
        return exception != null && exception.getPort() == port && exception.getAddress() != null
                && Arrays.equals(exception.getAddress().getAddress(), address.getAddress());
    }

    @Override
    public String toString() {
        return allowPrivate ? "any address" : exception == null ? "public addresses only" : "public addresses and " + exception;
    }
}
