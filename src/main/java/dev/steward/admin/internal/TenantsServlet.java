package dev.steward.admin.internal;

import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The tenants page ({@code /admin/tenants}, also {@code /admin}): every tenant for those who run the platform,
 * one's own tenant for everyone else (read through that tenant's scope, as every tenant read is).
 */
@WebServlet(urlPatterns = {"/admin/tenants"})
public class TenantsServlet extends HttpServlet {

    @Inject
    TenantChoice choice;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        AdminUser user = (AdminUser) request.getAttribute("user");
        request.setAttribute("tenants", choice.visibleTo(user));
        request.getServletContext().getNamedDispatcher("admin-tenants").forward(request, response);
    }
}
