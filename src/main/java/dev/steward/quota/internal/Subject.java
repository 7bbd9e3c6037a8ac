package dev.steward.quota.internal;

import dev.steward.quota.api.Resources;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What limits apply to: {@code tenant}, {@code agent:<uuid>}, {@code provider:<account>}, {@code channel:<account>}.
 */
record Subject(Kind kind, String name) {

    enum Kind { TENANT, AGENT, PROVIDER, CHANNEL }

    static final Subject TENANT = new Subject(Kind.TENANT, "");
    private static final Pattern RESOURCE = Pattern.compile(Resources.PATTERN);

    static Subject agent(UUID agent) {
        return new Subject(Kind.AGENT, agent.toString());
    }

    /** A job's resource key; the queue has validated its shape. */
    static Subject resource(String key) {
        return parse(key).orElseThrow(() -> new IllegalArgumentException("not a resource key: " + key));
    }

    static Optional<Subject> parse(String key) {
        if ("tenant".equals(key)) {
            return Optional.of(TENANT);
        }
        if (key.startsWith("agent:")) {
            try {
                return Optional.of(agent(UUID.fromString(key.substring("agent:".length()))));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        if (!RESOURCE.matcher(key).matches()) {
            return Optional.empty();
        }
        int colon = key.indexOf(':');
        Kind kind = key.startsWith("provider:") ? Kind.PROVIDER : Kind.CHANNEL;
        return Optional.of(new Subject(kind, key.substring(colon + 1)));
    }

    String key() {
        return kind == Kind.TENANT ? "tenant" : kind.name().toLowerCase(Locale.ROOT) + ":" + name;
    }

    @Override
    public String toString() {
        return key();
    }
}
