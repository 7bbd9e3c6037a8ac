package dev.steward.admin.internal;

import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.TenantDirectory;
import dev.steward.tenancy.api.TenantSummary;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * The tenants page ({@code /admin/tenants}, also {@code /admin}): every tenant for those who run the platform,
 * one's own tenant for everyone else (read through that tenant's scope, as every tenant read is).
 */
@WebServlet(urlPatterns = {"/admin/tenants"})
public class TenantsServlet extends HttpServlet {

    @Inject
    TenantDirectory tenants;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        AdminUser user = (AdminUser) request.getAttribute("user");
        List<TenantSummary> shown = user.tenantId() == null ? tenants.all()
                : tenants.find(new TenantId(user.tenantId())).stream().toList();
        request.setAttribute("tenants", shown);
        request.getServletContext().getNamedDispatcher("admin-tenants").forward(request, response);
    }
}
