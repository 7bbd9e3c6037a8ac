package dev.steward.admin.internal;

import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.TenantDirectory;
import dev.steward.tenancy.api.TenantScope;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * A page about one tenant's data: the tenant is one's own, or for those who run the platform the one named in
 * {@code ?tenant=<id>} (without it, they choose from the list); its rows are read in that tenant's scope; analysts
 * look, others act; after an action the page says what happened in one of its fixed texts ({@code ?done=<code>}),
 * so a link cannot make it say anything else.
 */
abstract class TenantPageServlet extends HttpServlet {

    @Inject
    TenantScope scope;

    @Inject
    TenantDirectory tenants;

    @Inject
    TenantChoice choice;

    /** The page's named dispatcher. */
    abstract String page();

    /** The page's notices by code; a page without actions has none. */
    Map<String, String> notices() {
        return Map.of();
    }

    /**
     * Puts what the page shows about {@code tenant} in the request, read in that tenant's scope (through
     * {@link #scope}); false when the page's subject (named in its path or parameters) is not the tenant's: a 404.
     */
    abstract boolean show(HttpServletRequest request, TenantId tenant);

    /** What the page shows besides the chosen tenant's rows, whether or not one is chosen. */
    void describe(HttpServletRequest request) {
    }

    /** The named dispatcher for this request: {@link #page} unless the servlet serves several pages. */
    String page(HttpServletRequest request) {
        return page();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        AdminUser user = user(request);
        Optional<TenantId> tenant = choice.of(user, request.getParameter("tenant"));
        if (tenant.isEmpty()) {
            request.setAttribute("tenants", tenants.all());
        } else {
            request.setAttribute("tenant", tenant.get().value().toString());
            tenants.find(tenant.get()).ifPresent(found -> request.setAttribute("tenantSlug", found.slug()));
            if (!show(request, tenant.get())) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND, "Not found: nothing of this tenant's by that"
                        + " name");
                return;
            }
        }
        describe(request);
        request.setAttribute("mayAct", !user.role().equals("analyst"));
        request.setAttribute("notice", notices().get(String.valueOf(request.getParameter("done"))));
        request.getServletContext().getNamedDispatcher(page(request)).forward(request, response);
    }

    /** The tenant a POST acts on; empty when the account may not act (an analyst) or names no tenant it may. */
    Optional<TenantId> actingTenant(HttpServletRequest request) {
        AdminUser user = user(request);
        return user.role().equals("analyst") ? Optional.empty() : choice.of(user, request.getParameter("tenant"));
    }

    /** Back to the page, which says what happened ({@code code}, one of {@link #notices}). */
    void done(HttpServletRequest request, HttpServletResponse response, TenantId tenant, String code)
            throws IOException {
        response.sendRedirect(request.getContextPath() + request.getServletPath() + "?tenant=" + tenant.value()
                + "&done=" + code);
    }

    static void refuse(HttpServletResponse response) throws IOException {
        response.sendError(HttpServletResponse.SC_BAD_REQUEST, "Not an action this account can take here");
    }

    private static AdminUser user(HttpServletRequest request) {
        return (AdminUser) request.getAttribute("user");
    }
}
