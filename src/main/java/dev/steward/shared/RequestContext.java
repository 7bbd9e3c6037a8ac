package dev.steward.shared;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a unit of work needs to know about whose work it is, carried unchanged from the HTTP request (or the
 * queued job) into every transaction, model call, tool call and log line. Immutable: changing the tenant or adding
 * a session id makes a new context ({@link #withTenant}, {@link #withSession}).
 *
 * @param requestId correlates logs, responses and audit rows; never empty
 * @param tenantId  the tenant whose data this work may see, or {@code null} when it may see no tenant's data
 * @param principal who acts
 * @param scopes    what the principal may do; {@code "*"} grants everything
 * @param sessionId the agent session this work belongs to, when it belongs to one
 * @param traceId   the OpenTelemetry trace id, when tracing is on
 */
public record RequestContext(
        String requestId, TenantId tenantId, Principal principal, Set<String> scopes, String sessionId, String traceId) {

    public static final String ALL_SCOPES = "*";

    public RequestContext {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(principal, "principal");
        scopes = Set.copyOf(scopes);
    }

    /** A request that has not authenticated: it sees no tenant's data. */
    public static RequestContext anonymous(String requestId) {
        return new RequestContext(requestId, null, Principal.ANONYMOUS, Set.of(), null, null);
    }

    public Optional<TenantId> tenant() {
        return Optional.ofNullable(tenantId);
    }

    public TenantId requireTenant() {
        if (tenantId == null) {
            throw new IllegalStateException("this work runs without a tenant");
        }
        return tenantId;
    }

    /**
     * Whether the scopes grant {@code scope}, such as {@code api-keys:write}. {@code *} grants all, and
     * {@code api-keys:*} grants every action on that resource.
     */
    public boolean hasScope(String scope) {
        if (scopes.contains(ALL_SCOPES) || scopes.contains(scope)) {
            return true;
        }
        int colon = scope.indexOf(':');
        return colon > 0 && scopes.contains(scope.substring(0, colon + 1) + "*");
    }

    public RequestContext withTenant(TenantId tenant) {
        return new RequestContext(requestId, tenant, principal, scopes, sessionId, traceId);
    }

    public RequestContext withPrincipal(Principal newPrincipal, TenantId tenant, Set<String> newScopes) {
        return new RequestContext(requestId, tenant, newPrincipal, newScopes, sessionId, traceId);
    }

    public RequestContext withSession(String session) {
        return new RequestContext(requestId, tenantId, principal, scopes, session, traceId);
    }

    public RequestContext withTrace(String trace) {
        return new RequestContext(requestId, tenantId, principal, scopes, sessionId, trace);
    }

    /**
     * An opaque, stable tag for the tenant in logs and traces: it lets an operator correlate lines of one tenant
     * without writing the tenant's id, name or key into log storage. {@code -} when there is no tenant.
     */
    public String tenantTag() {
        return tenantId == null ? "-" : tenantTag(tenantId);
    }

    public static String tenantTag(TenantId tenant) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("steward-tenant-tag:" + tenant.value()).getBytes(StandardCharsets.UTF_8));
            return "t-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
