package dev.steward.admin.internal;

import dev.steward.shared.CurrentRequest;
import dev.steward.shared.Principal;
import dev.steward.shared.RequestContext;
import dev.steward.shared.TenantId;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Guards every admin page: security headers on every answer; a signed-in session for everything but the sign-in
 * page and the static assets (others are sent to sign in); the session's CSRF token on every POST (403 without);
 * sessions end after {@code steward.admin.session-idle} (30 minutes) without a request from the person (a page's
 * own live refresh, marked {@code X-Live-Refresh}, does not count, so a forgotten tab does not stay signed in);
 * and the signed-in person as the request's principal, bound to their tenant unless they run the platform.
 */
@WebFilter(urlPatterns = {"/admin", "/admin/*"})
public class AdminFilter extends HttpFilter {

    static final String USER = "steward.admin.user";
    static final String CSRF = "steward.admin.csrf";
    @Inject
    @ConfigProperty(name = "steward.admin.session-idle", defaultValue = "PT30M")
    Duration idle;

    private IdleTimeout idleTimeout;

    @Override
    public void init() {
        idleTimeout = new IdleTimeout(idle, Clock.systemUTC());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // The path as the container mapped it (normalized), never the raw URI: "/admin/static/../queue" is the
        // queue page, and must not pass as an asset.
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        response.setHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action"
                + " 'self'; base-uri 'none'; object-src 'none'");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        if (path.startsWith("/admin/static/")) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        HttpSession session = request.getSession(false);
        if ("POST".equals(request.getMethod()) && !csrfMatches(session, request.getParameter("csrf"))) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "The form is stale or was not sent from Steward:"
                    + " reload the page and try again");
            return;
        }
        AdminUser user = session == null ? null : (AdminUser) session.getAttribute(USER);
        if (user == null) {
            if (path.equals("/admin/signin")) {
                chain.doFilter(request, response);
            } else {
                response.sendRedirect(request.getContextPath() + "/admin/signin");
            }
            return;
        }
        if (idleTimeout.ended(session, request.getHeader("X-Live-Refresh") != null)) {
            session.invalidate();
            response.sendRedirect(request.getContextPath() + "/admin/signin?expired=1");
            return;
        }
        if (path.equals("/admin") || path.equals("/admin/")) {
            response.sendRedirect(request.getContextPath() + "/admin/tenants");
            return;
        }
        RequestContext signedIn = CurrentRequest.get().withPrincipal(principal(user),
                user.tenantId() == null ? null : new TenantId(user.tenantId()), Set.of());
        try (CurrentRequest.Scope ignored = CurrentRequest.open(signedIn)) {
            request.setAttribute("user", user);
            request.setAttribute("userEmail", user.email());
            request.setAttribute("userRole", user.role());
            request.setAttribute("csrf", session.getAttribute(CSRF));
            chain.doFilter(request, response);
        }
    }

    /**
     * Operators and platform analysts act as the operator (the database's cross-tenant read paths accept only the
     * operator), an analyst named as one ({@code ui-analyst:<email>}) so that logs and trails tell them apart; their
     * being read-only is kept by the pages ({@link TenantPageServlet#actingTenant}). Everyone else acts as an admin
     * of their tenant.
     */
    static Principal principal(AdminUser user) {
        if (user.tenantId() != null) {
            return new Principal(Principal.Kind.ADMIN, user.email());
        }
        return new Principal(Principal.Kind.OPERATOR, (user.isOperator() ? "ui:" : "ui-analyst:") + user.email());
    }

    private static boolean csrfMatches(HttpSession session, String offered) {
        Object expected = session == null ? null : session.getAttribute(CSRF);
        return expected instanceof String token && offered != null
                && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                offered.getBytes(StandardCharsets.UTF_8));
    }
}
