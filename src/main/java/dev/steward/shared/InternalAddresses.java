package dev.steward.shared;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Addresses an outbound call from Steward must not reach unless an operator allows it: this machine, private
 * networks and their disguises. Webhooks and model provider accounts check every address a host resolves to.
 */
public final class InternalAddresses {

    private InternalAddresses() {
    }

    /**
     * Whether any address the host resolves to is one {@link #isInternal} names: the check every outbound call
     * makes before it may reach a host (webhooks, provider accounts, remote agents). A host that does not resolve
     * is for the caller to judge.
     */
    public static boolean resolvesInside(String host) throws UnknownHostException {
        for (InetAddress address : InetAddress.getAllByName(host)) {
            if (isInternal(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an outbound call may use this URL as written: https to a host (no user info), or plain http only to an
     * internal address written as such (traffic that never leaves the operator's network, and which the caller's
     * private-address setting must allow as well).
     */
    public static boolean isCallableUrl(URI uri) {
        if (uri.getHost() == null || uri.getUserInfo() != null) {
            return false;
        }
        return "https".equalsIgnoreCase(uri.getScheme())
                || "http".equalsIgnoreCase(uri.getScheme()) && isInternalLiteral(uri.getHost());
    }

    /**
     * Whether a URL's host is written as an IP address (no name DNS could move) that {@link #isInternal} names: the
     * only hosts plain http may be sent to.
     */
    public static boolean isInternalLiteral(String host) {
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            return false;
        }
        try {
            return isInternal(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Loopback, unspecified, link-local, private (RFC 1918, IPv6 unique-local), carrier-grade NAT, 0.0.0.0/8,
     * multicast, and IPv4 addresses of those kinds wrapped in 6to4 or NAT64 IPv6 addresses.
     */
    public static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128);
        }
        if ((bytes[0] & 0xfe) == 0xfc) {
            return true; // fc00::/7, unique local
        }
        boolean sixToFour = (bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x02;
        boolean nat64 = bytes[0] == 0 && (bytes[1] & 0xff) == 0x64 && (bytes[2] & 0xff) == 0xff
                && (bytes[3] & 0xff) == 0x9b && Arrays.equals(bytes, 4, 12, new byte[8], 0, 8);
        if (sixToFour || nat64) {
            int offset = sixToFour ? 2 : 12;
            try {
                return isInternal(InetAddress.getByAddress(Arrays.copyOfRange(bytes, offset, offset + 4)));
            } catch (UnknownHostException e) {
                return true;
            }
        }
        return false;
    }

}
