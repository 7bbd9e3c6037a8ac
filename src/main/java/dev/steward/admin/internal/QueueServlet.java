package dev.steward.admin.internal;

import dev.steward.dispatch.api.DeadLetters;
import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.TenantDirectory;
import dev.steward.tenancy.api.TenantScope;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's dead letters ({@code /admin/queue}): jobs that failed for good, retried with fresh attempts or
 * discarded by a tenant admin or an operator (who names the tenant: {@code ?tenant=<id>}); analysts look only.
 */
@WebServlet(urlPatterns = "/admin/queue")
public class QueueServlet extends HttpServlet {

    private static final Map<String, String> NOTICES = Map.of("retried", "Retried: back in the queue.",
            "discarded", "Discarded.", "unknown", "No such job.", "stale", "That job was no longer a dead letter.");

    @Inject
    DeadLetters deadLetters;

    @Inject
    TenantScope scope;

    @Inject
    TenantDirectory tenants;

    @Inject
    TenantChoice choice;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        AdminUser user = (AdminUser) request.getAttribute("user");
        Optional<TenantId> tenant = choice.of(user, request.getParameter("tenant"));
        if (tenant.isEmpty()) {
            request.setAttribute("tenants", tenants.all());
        } else {
            request.setAttribute("tenant", tenant.get().value().toString());
            request.setAttribute("deadLetters", scope.call(tenant.get(), () -> deadLetters.list(200)));
        }
        request.setAttribute("mayAct", !user.role().equals("analyst"));
        request.setAttribute("notice", NOTICES.get(String.valueOf(request.getParameter("done"))));
        request.getServletContext().getNamedDispatcher("admin-queue").forward(request, response);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AdminUser user = (AdminUser) request.getAttribute("user");
        Optional<TenantId> tenant = choice.of(user, request.getParameter("tenant"));
        String action = request.getParameter("action");
        Long job = number(request.getParameter("job"));
        if (user.role().equals("analyst") || tenant.isEmpty() || job == null
                || !("retry".equals(action) || "discard".equals(action))) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "Not an action this account can take");
            return;
        }
        DeadLetters.Outcome outcome = scope.call(tenant.get(), () -> action.equals("retry")
                ? deadLetters.retry(job) : deadLetters.discard(job));
        String done = switch (outcome) {
            case DONE -> action.equals("retry") ? "retried" : "discarded";
            case UNKNOWN -> "unknown";
            case NOT_DEAD -> "stale";
        };
        response.sendRedirect(request.getContextPath() + "/admin/queue?tenant=" + tenant.get().value() + "&done="
                + done);
    }

    private static Long number(String text) {
        try {
            return text == null ? null : Long.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
