package dev.steward.admin.internal;

import dev.steward.orchestration.api.ApprovalInbox;
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
import java.util.UUID;

/**
 * The approvals inbox ({@code /admin/approvals}): a tenant's pending approvals, approved or denied with a comment
 * by a tenant admin or an operator (who names the tenant: {@code ?tenant=<id>}); analysts see it and decide nothing.
 * A decision goes the API's own way: recorded with the person as its decider, audited, acted on.
 */
@WebServlet(urlPatterns = "/admin/approvals")
public class ApprovalsServlet extends HttpServlet {

    /** What the page says after a decision: fixed texts, so a link cannot make the page say anything else. */
    private static final Map<String, String> NOTICES = Map.of("approved", "Approved.", "denied", "Denied.",
            "unknown", "No such approval.", "stale", "That approval was no longer pending.");

    @Inject
    ApprovalInbox inbox;

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
            request.setAttribute("approvals", scope.call(tenant.get(), () -> inbox.pending(200)));
        }
        request.setAttribute("mayDecide", !user.role().equals("analyst"));
        request.setAttribute("notice", NOTICES.get(String.valueOf(request.getParameter("done"))));
        request.getServletContext().getNamedDispatcher("admin-approvals").forward(request, response);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AdminUser user = (AdminUser) request.getAttribute("user");
        Optional<TenantId> tenant = choice.of(user, request.getParameter("tenant"));
        UUID approval = TenantChoice.uuid(request.getParameter("approval"));
        String comment = request.getParameter("comment");
        if (user.role().equals("analyst") || tenant.isEmpty() || approval == null
                || (comment != null && comment.length() > 2000)) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "Not a decision this account can make");
            return;
        }
        boolean approve = "approve".equals(request.getParameter("decision"));
        ApprovalInbox.Outcome outcome = scope.call(tenant.get(), () -> inbox.decide(approval, approve,
                comment == null || comment.isBlank() ? null : comment.trim()));
        String done = switch (outcome) {
            case DECIDED -> approve ? "approved" : "denied";
            case UNKNOWN -> "unknown";
            case NO_LONGER_PENDING -> "stale";
        };
        response.sendRedirect(request.getContextPath() + "/admin/approvals?tenant=" + tenant.get().value()
                + "&done=" + done);
    }
}
