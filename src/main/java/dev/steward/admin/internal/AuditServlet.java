package dev.steward.admin.internal;

import dev.steward.audit.api.AuditEntry;
import dev.steward.audit.api.AuditReader;
import dev.steward.audit.api.AuditTrail;
import dev.steward.shared.TenantId;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A tenant's audit trail ({@code /admin/audit}): searched by action, actor and time, a page at a time, and its hash
 * chain's verification. The first visit starts a verification in the background (a read, like the API's); the page
 * shows its progress and refreshes itself until it is done. Those who may act can verify again (audited as
 * {@code admin.audit.verify}).
 */
@WebServlet(urlPatterns = "/admin/audit")
public class AuditServlet extends TenantPageServlet {

    private static final Map<String, String> NOTICES = Map.of("verifying", "Verifying the chain again.",
            "running", "A verification is already running.");

    @Inject
    AuditReader reader;

    @Inject
    AuditTrail trail;

    @Inject
    ChainVerifications verifications;

    @Override
    String page() {
        return "admin-audit";
    }

    @Inject
    @ConfigProperty(name = "steward.admin.audit-verify-fresh", defaultValue = "PT5M")
    Duration fresh;

    @Override
    Map<String, String> notices() {
        return NOTICES;
    }

    @Override
    boolean show(HttpServletRequest request, TenantId tenant) {
        Filters filters = new Filters(request);
        AuditReader.Search search = new AuditReader.Search(filters.text("action", 200), filters.text("actor", 300),
                filters.from("from"), filters.to("to"));
        Paging paging = Paging.of(request);
        paging.show(request, "entries", scope.call(tenant, () -> reader.search(search, paging.offset(),
                paging.fetch())));
        if (verifications.of(tenant).map(check -> check.olderThan(fresh)).orElse(true)) {
            verifications.start(tenant); // a result is shown for a while, then the chain is walked again
        }
        verifications.of(tenant).ifPresent(check -> request.setAttribute("check", check));
        return true;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<TenantId> tenant = actingTenant(request);
        if (tenant.isEmpty() || !"verify".equals(request.getParameter("action"))) {
            refuse(response);
            return;
        }
        if (verifications.of(tenant.get()).map(ChainVerifications.Check::running).orElse(false)) {
            done(request, response, tenant.get(), "running");
            return;
        }
        // Recorded before the walk starts, so the walk covers its own entry too.
        scope.run(tenant.get(), () -> trail.record(AuditEntry.of("admin.audit.verify",
                Json.createObjectBuilder().build())));
        verifications.start(tenant.get());
        done(request, response, tenant.get(), "verifying");
    }
}
