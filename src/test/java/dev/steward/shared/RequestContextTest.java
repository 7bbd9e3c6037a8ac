package dev.steward.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestContextTest {

    private static RequestContext withScopes(String... scopes) {
        return new RequestContext("r1", TenantId.random(), Principal.apiKey("k"), Set.of(scopes), null, null);
    }

    @Test
    void scopesGrantExactlyWhatTheySay() {
        assertTrue(withScopes("api-keys:read").hasScope("api-keys:read"));
        assertFalse(withScopes("api-keys:read").hasScope("api-keys:write"));
        assertTrue(withScopes("api-keys:*").hasScope("api-keys:write"));
        assertFalse(withScopes("api-keys:*").hasScope("agents:read"));
        assertTrue(withScopes("*").hasScope("agents:write"));
        assertFalse(withScopes().hasScope("agents:read"));
    }

    @Test
    void tenantTagIsStableOpaqueAndNotTheId() {
        TenantId tenant = TenantId.random();
        String tag = RequestContext.tenantTag(tenant);
        assertEquals(tag, RequestContext.tenantTag(new TenantId(tenant.value())));
        assertNotEquals(tag, RequestContext.tenantTag(TenantId.random()));
        assertFalse(tag.contains(tenant.toString().substring(0, 8)));
        assertEquals("-", RequestContext.anonymous("r").tenantTag());
    }

    @Test
    void contextsRestoreWhatWasThereBefore() {
        RequestContext outer = RequestContext.anonymous("outer");
        try (CurrentRequest.Scope ignored = CurrentRequest.open(outer)) {
            TenantId tenant = TenantId.random();
            try (CurrentRequest.Scope inner = CurrentRequest.open(outer.withTenant(tenant))) {
                assertEquals(tenant, CurrentRequest.get().tenantId());
            }
            assertEquals(outer, CurrentRequest.get());
        }
        assertTrue(CurrentRequest.find().isEmpty());
        assertThrows(IllegalStateException.class, () -> CurrentRequest.replace(outer));
    }

    @Test
    void workWithoutATenantCannotPretendToHaveOne() {
        assertThrows(IllegalStateException.class, () -> RequestContext.anonymous("r").requireTenant());
    }
}
