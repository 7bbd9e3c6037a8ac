package dev.steward.admin.internal;

import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.ApiKeyDirectory;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;

/**
 * A tenant's API keys ({@code /admin/tenants/keys?tenant=<id>}): prefix, name, scopes, when made and last used,
 * active or revoked. Never the secret nor its hash; the tenancy api does not have them to give.
 */
@WebServlet(urlPatterns = "/admin/tenants/keys")
public class TenantKeysServlet extends TenantPageServlet {

    @Inject
    ApiKeyDirectory keys;

    @Override
    String page() {
        return "admin-tenant-keys";
    }

    @Override
    boolean show(HttpServletRequest request, TenantId tenant) {
        Paging paging = Paging.of(request);
        paging.show(request, "keys", scope.call(tenant, () -> keys.list(paging.offset(), paging.fetch())));
        return true;
    }
}
