package dev.steward.shared;

import java.net.URI;
import java.util.Locale;

/**
 * Allow-list entries for outbound calls: {@code host} (ports 80 and 443), {@code host:port}, {@code host:*} (any
 * port) and {@code *.domain} (its subdomains), matched case-insensitively. Webhooks and the HTTP tool use them.
 */
public final class HostPatterns {

    /** What an entry may look like: a host name, IPv4 address or {@code *.} domain, with an optional port or *. */
    public static final String PATTERN = "(\\*\\.)?[a-zA-Z0-9]([a-zA-Z0-9.-]{0,252})(:([0-9]{1,5}|\\*))?";

    private HostPatterns() {
    }

    /** The URL's port, or its scheme's default (443 for https, 80 otherwise). */
    public static int port(URI url) {
        return url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    public static boolean matches(String entry, String host, int port) {
        String lowerEntry = entry.toLowerCase(Locale.ROOT);
        String lowerHost = host.toLowerCase(Locale.ROOT);
        int colon = lowerEntry.lastIndexOf(':');
        boolean hasPort = colon > 0 && !lowerEntry.endsWith("]");
        String entryHost = hasPort ? lowerEntry.substring(0, colon) : lowerEntry;
        String entryPort = hasPort ? lowerEntry.substring(colon + 1) : null;
        boolean portAllowed = entryPort == null ? port == 80 || port == 443
                : "*".equals(entryPort) || entryPort.equals(String.valueOf(port));
        return portAllowed && (entryHost.startsWith("*.") ? lowerHost.endsWith(entryHost.substring(1))
                : lowerHost.equals(entryHost));
    }
}
