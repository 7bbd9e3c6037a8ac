package dev.steward.admin.internal;

import dev.steward.orchestration.api.RunHistory;
import dev.steward.shared.TenantId;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's workflow runs ({@code /admin/runs}: filtered by workflow and state, a page at a time) and one run
 * ({@code /admin/runs/<id>}): its graph drawn as inline SVG, nodes coloured by state with their timings, its
 * specialists' proposals and its approvals. Read only; in the tenant's scope, so another tenant's run is a 404.
 */
@WebServlet(urlPatterns = {"/admin/runs", "/admin/runs/*"})
public class RunsServlet extends TenantPageServlet {

    static final List<String> STATES = List.of("waiting", "running", "succeeded", "failed", "cancelled", "rejected",
            "merged");

    @Inject
    RunHistory runs;

    /** A run in the list, with its duration as people read it. */
    public record Row(RunHistory.Summary run, String duration) {
    }

    @Override
    String page() {
        return "admin-runs";
    }

    @Override
    String page(HttpServletRequest request) {
        return SessionsServlet.named(request) == null ? page() : "admin-run";
    }

    @Override
    boolean show(HttpServletRequest request, TenantId tenant) {
        String named = SessionsServlet.named(request);
        return named == null ? list(request, tenant) : one(request, tenant, named);
    }

    private boolean list(HttpServletRequest request, TenantId tenant) {
        Filters filters = new Filters(request);
        String workflow = filters.text("workflow", 63);
        String state = filters.oneOf("state", STATES);
        Paging paging = Paging.of(request);
        List<RunHistory.Summary> found = scope.call(tenant, () -> runs.list(workflow, state, paging.offset(),
                paging.fetch()));
        paging.show(request, "runs", found.stream().map(run -> new Row(run, Durations.text(run.durationMillis())))
                .toList());
        request.setAttribute("workflows", scope.call(tenant, runs::workflows));
        request.setAttribute("states", STATES);
        return true;
    }

    private boolean one(HttpServletRequest request, TenantId tenant, String named) {
        UUID id = TenantChoice.uuid(named);
        Optional<RunHistory.Detail> detail = id == null ? Optional.empty() : scope.call(tenant, () -> runs.find(id));
        if (detail.isEmpty()) {
            return false;
        }
        request.setAttribute("run", detail.get().run());
        request.setAttribute("runDuration", Durations.text(detail.get().run().durationMillis()));
        request.setAttribute("dag", DagView.of(detail.get().nodes(), detail.get().edges()));
        request.setAttribute("proposals", detail.get().nodes().stream().filter(node -> node.proposal() != null)
                .toList());
        request.setAttribute("approvals", detail.get().approvals());
        return true;
    }
}
