package dev.steward.tenancy.api;

/**
 * Scopes of tenant API keys: {@code <resource>:<action>} where the action is {@code read}, {@code write} or
 * {@code *}, or {@code *} for everything. Each module names the scopes of its own resources.
 */
public final class Scopes {

    public static final String ALL = "*";
    public static final String API_KEYS_READ = "api-keys:read";
    public static final String API_KEYS_WRITE = "api-keys:write";

    /** What a well-formed scope looks like; request validation uses it. */
    public static final String PATTERN = "\\*|[a-z][a-z0-9-]{0,39}:(read|write|\\*)";

    private Scopes() {
    }
}
