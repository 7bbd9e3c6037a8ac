package dev.steward.admin.internal;

import dev.steward.models.api.ModelListing;
import dev.steward.shared.TenantId;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;

/**
 * A tenant's provider accounts and models ({@code /admin/models}): each account's type and address and whether a
 * credential is set (never the credential), each model's account and prices per million tokens, a page at a time.
 */
@WebServlet(urlPatterns = "/admin/models")
public class ModelsServlet extends TenantPageServlet {

    @Inject
    ModelListing listing;

    @Override
    String page() {
        return "admin-models";
    }

    @Override
    boolean show(HttpServletRequest request, TenantId tenant) {
        Paging paging = Paging.of(request);
        request.setAttribute("providers", scope.call(tenant, listing::providers));
        paging.show(request, "models", scope.call(tenant, () -> listing.models(paging.offset(), paging.fetch())));
        return true;
    }
}
