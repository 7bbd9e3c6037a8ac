package dev.steward.admin.internal;

import dev.steward.orchestration.api.ApprovalInbox;
import dev.steward.shared.TenantId;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The approvals inbox ({@code /admin/approvals}): a tenant's pending approvals, approved or denied with a comment.
 * A decision goes the API's own way: recorded with the person as its decider, audited, acted on.
 */
@WebServlet(urlPatterns = "/admin/approvals")
public class ApprovalsServlet extends TenantPageServlet {

    private static final Map<String, String> NOTICES = Map.of("approved", "Approved.", "denied", "Denied.",
            "unknown", "No such approval.", "stale", "That approval was no longer pending.");

    @Inject
    ApprovalInbox inbox;

    @Override
    String page() {
        return "admin-approvals";
    }

    @Override
    Map<String, String> notices() {
        return NOTICES;
    }

    @Override
    boolean show(HttpServletRequest request, TenantId tenant) {
        request.setAttribute("approvals", scope.call(tenant, () -> inbox.pending(200)));
        return true;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<TenantId> tenant = actingTenant(request);
        UUID approval = TenantChoice.uuid(request.getParameter("approval"));
        String comment = request.getParameter("comment");
        if (tenant.isEmpty() || approval == null || (comment != null && comment.length() > 2000)) {
            refuse(response);
            return;
        }
        boolean approve = "approve".equals(request.getParameter("decision"));
        ApprovalInbox.Outcome outcome = scope.call(tenant.get(), () -> inbox.decide(approval, approve,
                comment == null || comment.isBlank() ? null : comment.trim()));
        done(request, response, tenant.get(), switch (outcome) {
            case DECIDED -> approve ? "approved" : "denied";
            case UNKNOWN -> "unknown";
            case NO_LONGER_PENDING -> "stale";
        });
    }
}
