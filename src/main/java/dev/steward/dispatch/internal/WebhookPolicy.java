package dev.steward.dispatch.internal;

import dev.steward.shared.HostPatterns;
import dev.steward.shared.InternalAddresses;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Where webhook tasks may call: hosts on the operator's allow-list ({@code STEWARD_WEBHOOK_ALLOWED_HOSTS}: entries
 * {@code host} (ports 80 and 443), {@code host:port}, {@code host:*} (any port), {@code *.domain}, comma-separated;
 * empty allows none),
 * and never an address on this machine or a private network unless {@code STEWARD_WEBHOOK_ALLOW_PRIVATE} is true.
 * Redirects are not followed, so an allowed host cannot send a call elsewhere.
 *
 * <p>Known gap: the address check resolves the name, and the HTTP client resolves it again when it connects, so an
 * allow-listed domain whose DNS an attacker controls could answer differently the second time (DNS rebinding). The
 * allow-list is the operator's, which bounds this to domains the operator trusts; the HTTP tool connects to the
 * checked addresses themselves ({@code HttpCalls}).
 */
record WebhookPolicy(List<String> allowedHosts, boolean allowPrivate) {

    static WebhookPolicy from(Config config) {
        String hosts = config.getOptionalValue("steward.webhook.allowed-hosts", String.class).orElse("");
        return new WebhookPolicy(Arrays.stream(hosts.split(",")).map(String::trim).filter(h -> !h.isEmpty())
                .map(h -> h.toLowerCase(Locale.ROOT)).toList(),
                config.getOptionalValue("steward.webhook.allow-private", Boolean.class).orElse(false));
    }

    /** Why the URL may not be called, as a message for the tenant; empty when it may (up to address checks). */
    Optional<String> refusal(URI url) {
        if (url.getScheme() == null || !List.of("http", "https").contains(url.getScheme().toLowerCase(Locale.ROOT))
                || url.getHost() == null) {
            return Optional.of("must be an absolute http or https URL");
        }
        if (url.getUserInfo() != null) {
            return Optional.of("must not carry credentials");
        }
        String host = url.getHost().toLowerCase(Locale.ROOT);
        int port = HostPatterns.port(url);
        boolean allowed = allowedHosts.stream().anyMatch(entry -> HostPatterns.matches(entry, host, port));
        return allowed ? Optional.empty()
                : Optional.of("host " + host + " is not on the webhook allow-list (STEWARD_WEBHOOK_ALLOWED_HOSTS)");
    }

    /**
     * Resolves the host and refuses local and private addresses unless allowed: no reaching inside by DNS. A host
     * that does not resolve now may later, so that is an exception (retried), not a refusal.
     */
    Optional<String> addressRefusal(URI url) throws UnknownHostException {
        if (allowPrivate) {
            return Optional.empty();
        }
        return InternalAddresses.resolvesInside(url.getHost())
                ? Optional.of("host " + url.getHost() + " resolves to a private address") : Optional.empty();
    }
}
