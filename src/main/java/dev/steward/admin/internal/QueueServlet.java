package dev.steward.admin.internal;

import dev.steward.dispatch.api.DeadLetters;
import dev.steward.shared.TenantId;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/** A tenant's dead letters ({@code /admin/queue}): jobs that failed for good, retried or discarded. */
@WebServlet(urlPatterns = "/admin/queue")
public class QueueServlet extends TenantPageServlet {

    private static final Map<String, String> NOTICES = Map.of("retried", "Retried: back in the queue.",
            "discarded", "Discarded.", "unknown", "No such job.", "stale", "That job was no longer a dead letter.");

    @Inject
    DeadLetters deadLetters;

    @Override
    String page() {
        return "admin-queue";
    }

    @Override
    Map<String, String> notices() {
        return NOTICES;
    }

    @Override
    boolean show(HttpServletRequest request, TenantId tenant) {
        request.setAttribute("deadLetters", scope.call(tenant, () -> deadLetters.list(200)));
        return true;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<TenantId> tenant = actingTenant(request);
        String action = request.getParameter("action");
        Long job = number(request.getParameter("job"));
        if (tenant.isEmpty() || job == null || !("retry".equals(action) || "discard".equals(action))) {
            refuse(response);
            return;
        }
        DeadLetters.Outcome outcome = scope.call(tenant.get(), () -> action.equals("retry")
                ? deadLetters.retry(job) : deadLetters.discard(job));
        done(request, response, tenant.get(), switch (outcome) {
            case DONE -> action.equals("retry") ? "retried" : "discarded";
            case UNKNOWN -> "unknown";
            case NOT_DEAD -> "stale";
        });
    }

    private static Long number(String text) {
        try {
            return text == null ? null : Long.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
