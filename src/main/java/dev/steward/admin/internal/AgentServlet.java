package dev.steward.admin.internal;

import dev.steward.agents.api.AgentCatalog;
import dev.steward.shared.TenantId;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One of a tenant's agents ({@code /admin/agents/<id>}): its current configuration's summary, its versions (newest
 * first, a page at a time) and what changed between two of them ({@code ?from=&to=} version numbers; by default
 * the version before the current one and the current one), compared by the agents module as its REST diff compares
 * them. An agent that is not the tenant's, or no longer live, is a 404.
 */
@WebServlet(urlPatterns = "/admin/agents/*")
public class AgentServlet extends TenantPageServlet {

    @Inject
    AgentCatalog agents;

    @Override
    String page() {
        return "admin-agent";
    }

    @Override
    boolean show(HttpServletRequest request, TenantId tenant) {
        String path = request.getPathInfo();
        UUID id = path == null ? null : TenantChoice.uuid(path.substring(1));
        if (id == null) {
            return false;
        }
        Integer from = number(request.getParameter("from"));
        Integer to = number(request.getParameter("to"));
        return scope.call(tenant, () -> {
            Optional<AgentCatalog.AgentSummary> agent = agents.find(id);
            if (agent.isEmpty()) {
                return false;
            }
            List<AgentCatalog.AgentVersion> versions = new ArrayList<>(agents.versions(id));
            Collections.reverse(versions); // newest first
            request.setAttribute("agent", agent.get());
            request.setAttribute("versionNumbers", versions.stream().map(AgentCatalog.AgentVersion::version)
                    .toList());
            Paging paging = Paging.of(request);
            paging.show(request, "versions", versions.subList(Math.min(paging.offset(), versions.size()),
                    Math.min(paging.offset() + paging.fetch(), versions.size())));
            if (versions.size() > 1 || from != null || to != null) {
                Optional<AgentCatalog.VersionDiff> diff = agents.diff(id, from, to);
                request.setAttribute("diff", diff.orElse(null));
                request.setAttribute("noSuchVersion", diff.isEmpty());
            }
            return true;
        });
    }

    /** A version number as asked for; anything else is not asked for. */
    private static Integer number(String text) {
        try {
            return text == null || text.isBlank() ? null : Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
