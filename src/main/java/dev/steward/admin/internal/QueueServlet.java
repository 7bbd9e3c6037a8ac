package dev.steward.admin.internal;

import dev.steward.audit.api.AuditEntry;
import dev.steward.audit.api.AuditTrail;
import dev.steward.dispatch.api.DeadLetters;
import dev.steward.dispatch.api.QueueOverview;
import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.TenantSummary;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The queue ({@code /admin/queue}): live, per tier and per tenant, what waits, what is scheduled, what runs, the
 * oldest wait, throughput and dead letters (every tenant for those who run the platform, one's own otherwise;
 * {@code live.js} refreshes it); and a tenant's dead letters, jobs that failed for good, retried or discarded.
 * Retrying and discarding are audited in the tenant's trail.
 */
@WebServlet(urlPatterns = "/admin/queue")
public class QueueServlet extends TenantPageServlet {

    private static final Map<String, String> NOTICES = Map.of("retried", "Retried: back in the queue.",
            "discarded", "Discarded.", "unknown", "No such job.", "stale", "That job was no longer a dead letter.");

    @Inject
    DeadLetters deadLetters;

    @Inject
    QueueOverview overview;

    @Inject
    AuditTrail audit;

    @Inject
    OneTransaction oneTransaction;

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
    void describe(HttpServletRequest request) {
        List<QueueOverview.TierLoad> loads = overview.now();
        Map<String, String> slugs = choice.visibleTo((AdminUser) request.getAttribute("user")).stream()
                .collect(Collectors.toMap(TenantSummary::id, TenantSummary::slug));
        Instant now = Instant.now();
        request.setAttribute("tiers", QueueLoad.byTier(loads, now));
        request.setAttribute("tenantLoads", loads.stream().filter(load -> slugs.containsKey(load.tenantId().toString()))
                .map(load -> QueueLoad.of(load, slugs.get(load.tenantId().toString()), now)).toList());
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
        DeadLetters.Outcome outcome = scope.call(tenant.get(), () -> oneTransaction.call(() -> {
            DeadLetters.Outcome result = action.equals("retry") ? deadLetters.retry(job) : deadLetters.discard(job);
            if (result == DeadLetters.Outcome.DONE) {
                audit.record(AuditEntry.of("admin.dead-letter." + (action.equals("retry") ? "retried" : "discarded"),
                        Json.createObjectBuilder().add("job", job).build()));
            }
            return result;
        }));
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
