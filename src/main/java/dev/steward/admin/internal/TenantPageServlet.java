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
import java.util.List;
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

    /** The page's named dispatcher and its notices by code. */
    abstract String page();

    abstract Map<String, String> notices();

    /** The request attribute a page's rows go in, and the rows, read in the chosen tenant's scope. */
    String rowsAttribute() {
        return "rows";
    }

    List<?> rows() {
        return List.of();
    }

    /**
     * Reads what the page shows into the request, in the tenant's scope: by default its {@link #rows}. Pages whose
     * reads depend on the request (filters, a page number, an id in the path) override this; {@code false} when
     * the path names something the tenant does not have (then 404, the same for another tenant's and no one's).
     */
    boolean show(HttpServletRequest request, TenantId tenant) {
        request.setAttribute(rowsAttribute(), scope.call(tenant, this::rows));
        return true;
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
            if (!show(request, tenant.get())) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
        }
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
