package dev.steward.tenancy.api;

import java.util.regex.Pattern;

/**
 * Scopes of tenant API keys: {@code <resource>:<action>} where the action is {@code read}, {@code write} or
 * {@code *}, or {@code *} for everything. Each module names the scopes of its own resources.
 */
public final class Scopes {

    public static final String ALL = "*";
    public static final String API_KEYS_READ = "api-keys:read";
    public static final String API_KEYS_WRITE = "api-keys:write";

    private static final Pattern WELL_FORMED = Pattern.compile("\\*|[a-z][a-z0-9-]{0,39}:(read|write|\\*)");

    private Scopes() {
    }

    public static boolean isWellFormed(String scope) {
        return scope != null && WELL_FORMED.matcher(scope).matches();
    }
}
