package dev.steward.admin.internal;

import dev.steward.billing.api.SessionCosts;
import dev.steward.sessions.api.SessionActivity;
import dev.steward.shared.TenantId;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's sessions ({@code /admin/sessions}: filtered by agent, state and start time, a page at a time) and one
 * session ({@code /admin/sessions/<id>}): its transcript, the timeline of its turns' states and confirmations, its
 * cost from the usage it was billed, and its events a page at a time. Read only; everything in the tenant's scope,
 * so another tenant's session id is a 404 like an unknown one.
 */
@WebServlet(urlPatterns = {"/admin/sessions", "/admin/sessions/*"})
public class SessionsServlet extends TenantPageServlet {

    static final List<String> STATES = List.of("active", "ended", "evicted");

    @Inject
    SessionActivity sessions;

    @Inject
    SessionCosts costs;

    @Override
    String page() {
        return "admin-sessions";
    }

    @Override
    String page(HttpServletRequest request) {
        return named(request) == null ? page() : "admin-session";
    }

    @Override
    boolean show(HttpServletRequest request, TenantId tenant) {
        String named = named(request);
        return named == null ? list(request, tenant) : one(request, tenant, named);
    }

    private boolean list(HttpServletRequest request, TenantId tenant) {
        Filters filters = new Filters(request);
        SessionActivity.Filter filter = new SessionActivity.Filter(filters.text("agent", 200),
                filters.oneOf("state", STATES), filters.from("from"), filters.to("to"));
        Paging paging = Paging.of(request);
        paging.show(request, "sessions", scope.call(tenant, () -> sessions.list(filter, paging.offset(),
                paging.fetch())));
        request.setAttribute("states", STATES);
        return true;
    }

    private boolean one(HttpServletRequest request, TenantId tenant, String named) {
        UUID id = TenantChoice.uuid(named);
        if (id == null) {
            return false;
        }
        Paging paging = Paging.of(request);
        Optional<Read> read = scope.call(tenant, () -> sessions.find(id).map(detail -> new Read(detail,
                costs.of(id), sessions.events(id, paging.offset(), paging.fetch()))));
        if (read.isEmpty()) {
            return false;
        }
        request.setAttribute("detail", read.get().detail());
        request.setAttribute("cost", read.get().cost());
        paging.show(request, "events", read.get().events());
        return true;
    }

    /** One session as the page shows it; its events a page at a time (numbered from 1, so a page is a range). */
    private record Read(SessionActivity.Detail detail, SessionCosts.Cost cost, List<SessionActivity.Event> events) {
    }

    /** The id in {@code /admin/sessions/<id>}, or null on the list. */
    static String named(HttpServletRequest request) {
        String path = request.getPathInfo();
        return path == null || path.equals("/") ? null : path.substring(1);
    }
}
