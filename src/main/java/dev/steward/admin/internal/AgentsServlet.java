package dev.steward.admin.internal;

import dev.steward.agents.api.AgentCatalog;
import dev.steward.shared.TenantId;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;

/** A tenant's agents ({@code /admin/agents}), by name, filtered by a part of it ({@code ?name=}), a page at a time. */
@WebServlet(urlPatterns = "/admin/agents")
public class AgentsServlet extends TenantPageServlet {

    /** Longer than any agent's name (63): a longer filter would find nothing anyway. */
    private static final int LONGEST_FILTER = 63;

    @Inject
    AgentCatalog agents;

    @Override
    String page() {
        return "admin-agents";
    }

    @Override
    boolean show(HttpServletRequest request, TenantId tenant) {
        String name = request.getParameter("name");
        String filter = name == null || name.isBlank() ? null
                : name.strip().substring(0, Math.min(name.strip().length(), LONGEST_FILTER));
        Paging paging = Paging.of(request);
        paging.show(request, "agents", scope.call(tenant, () -> agents.page(filter, paging.offset(),
                paging.fetch())));
        return true;
    }
}
