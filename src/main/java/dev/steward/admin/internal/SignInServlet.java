package dev.steward.admin.internal;

import dev.steward.shared.CurrentRequest;
import dev.steward.shared.Logs;
import dev.steward.shared.Principal;
import dev.steward.shared.RequestContext;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Signing in ({@code /admin/signin}) and out ({@code POST /admin/signout}). The form itself carries a CSRF token
 * (so no other site can sign a browser in to an account of its choosing); a successful sign-in starts a new session
 * (the old id is dropped; {@link AdminFilter} ends it after {@code steward.admin.session-idle} idle, and the
 * container drops it soon after). A refusal says nothing of whether the email exists.
 */
@WebServlet(urlPatterns = {"/admin/signin", "/admin/signout"})
public class SignInServlet extends HttpServlet {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    AdminAccounts accounts;

    @Inject
    SignInAudit audit;

    @Inject
    @ConfigProperty(name = "steward.admin.session-idle", defaultValue = "PT30M")
    Duration idle;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (request.getServletPath().equals("/admin/signout")) {
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        HttpSession session = request.getSession(true);
        if (session.getAttribute(AdminFilter.USER) != null) {
            response.sendRedirect(request.getContextPath() + "/admin/tenants");
            return;
        }
        show(request, response, session, request.getParameter("expired") == null ? null
                : "Your session ended after " + (idle.toMinutes() > 0 ? idle.toMinutes() + " minutes"
                : idle.toSeconds() + " seconds") + " without activity; sign in again.");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (request.getServletPath().equals("/admin/signout")) {
            HttpSession session = request.getSession(false);
            if (session != null) {
                AdminUser user = (AdminUser) session.getAttribute(AdminFilter.USER);
                session.invalidate();
                if (user != null) {
                    audit.signedOut(user);
                }
            }
            response.sendRedirect(request.getContextPath() + "/admin/signin");
            return;
        }
        String email = request.getParameter("email");
        String password = request.getParameter("password");
        AdminAccounts.SignIn outcome;
        if (email == null || password == null || email.length() > 320 || password.length() > 1000) {
            outcome = new AdminAccounts.SignIn.Refused(false);
        } else {
            RequestContext signingIn = CurrentRequest.get().withPrincipal(Principal.system("admin-sign-in"), null,
                    Set.of());
            try (CurrentRequest.Scope ignored = CurrentRequest.open(signingIn)) {
                outcome = accounts.signIn(email.trim(), password);
            }
        }
        if (outcome instanceof AdminAccounts.SignIn.SignedIn signedIn) {
            audit.signedIn(signedIn.user()); // first: a sign-in that cannot be audited does not happen
            request.getSession().invalidate();
            HttpSession session = request.getSession(true);
            session.setMaxInactiveInterval((int) idle.toSeconds() + 60);
            session.setAttribute(AdminFilter.USER, signedIn.user());
            session.setAttribute(AdminFilter.CSRF, token());
            Logs.of(SignInServlet.class).info("Admin " + signedIn.user().email() + " signed in");
            response.sendRedirect(request.getContextPath() + "/admin/tenants");
            return;
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        show(request, response, request.getSession(true), ((AdminAccounts.SignIn.Refused) outcome).locked()
                ? "This account is locked after too many failed sign-ins; try again later."
                : "The email or the password is wrong.");
    }

    private static void show(HttpServletRequest request, HttpServletResponse response, HttpSession session,
                             String error) throws ServletException, IOException {
        if (session.getAttribute(AdminFilter.CSRF) == null) {
            session.setAttribute(AdminFilter.CSRF, token());
        }
        request.setAttribute("csrf", session.getAttribute(AdminFilter.CSRF));
        request.setAttribute("error", error);
        request.getServletContext().getNamedDispatcher("admin-signin").forward(request, response);
    }

    static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
