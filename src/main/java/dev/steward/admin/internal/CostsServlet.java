package dev.steward.admin.internal;

import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.TenantDirectory;
import dev.steward.tenancy.api.TenantScope;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A tenant's costs ({@code /admin/costs}): in a period ({@code ?from=&to=}, dates, to not included; by default the
 * current UTC month so far) cost per day as a chart and a table, by agent and version, by model and provider,
 * tokens, the top sessions and workflow runs; and the month's budget now. The tenant is one's own, or for those who
 * run the platform the one they name ({@code ?tenant=}); everything is read in its scope.
 */
@WebServlet(urlPatterns = "/admin/costs")
public class CostsServlet extends HttpServlet {

    /** A year and a day: the chart has a slot per day. */
    static final int LONGEST_PERIOD_DAYS = 366;

    @Inject
    TenantChoice choice;

    @Inject
    TenantDirectory tenants;

    @Inject
    TenantScope scope;

    @Inject
    TenantCosts costs;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        AdminUser user = (AdminUser) request.getAttribute("user");
        Optional<TenantId> tenant = choice.of(user, request.getParameter("tenant"));
        request.setAttribute("choosesTenant", user.tenantId() == null); // operators, platform analysts
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String from = given(request, "from", today.withDayOfMonth(1).toString());
        String to = given(request, "to", today.plusDays(1).toString());
        request.setAttribute("from", from);
        request.setAttribute("to", to);
        if (tenant.isEmpty()) {
            request.setAttribute("tenants", tenants.all());
        } else {
            request.setAttribute("tenant", tenant.get().value().toString());
            try {
                LocalDate start = ReportValues.date("from", from);
                LocalDate end = ReportValues.date("to", to);
                if (!start.isBefore(end)) {
                    throw new ReportValues.Invalid("from must be before to (the period is from, up to but not"
                            + " including to)");
                }
                if (ChronoUnit.DAYS.between(start, end) > LONGEST_PERIOD_DAYS) {
                    throw new ReportValues.Invalid("The period may be " + LONGEST_PERIOD_DAYS + " days at most");
                }
                request.setAttribute("costs", scope.call(tenant.get(), () -> costs.read(start, end)));
            } catch (ReportValues.Invalid e) {
                response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
                request.setAttribute("error", e.getMessage());
            }
        }
        request.getServletContext().getNamedDispatcher("admin-costs").forward(request, response);
    }

    private static String given(HttpServletRequest request, String name, String otherwise) {
        String value = request.getParameter(name);
        return value == null || value.isBlank() ? otherwise : value.strip();
    }
}
