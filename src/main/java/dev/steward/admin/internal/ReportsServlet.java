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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The analysts' reports in the admin UI ({@code /admin/reports}): the list of {@code reports/*.sql} with a form
 * for their variables ({@code from}, {@code to} and the optional ones the files read), and each report as a CSV
 * download ({@code /admin/reports/<name>.csv?from=&to=...}) run from the very same file, in the chosen tenant's
 * scope, audited. The tenant is one's own, or for those who run the platform the one they name
 * ({@code ?tenant=}). Unknown reports are 404, values the report cannot take 400 saying why.
 */
@WebServlet(urlPatterns = {"/admin/reports", "/admin/reports/*"})
public class ReportsServlet extends HttpServlet {

    private static final Pattern CSV = Pattern.compile("/([a-z0-9_]{1,100})\\.csv");

    @Inject
    TenantChoice choice;

    @Inject
    TenantDirectory tenants;

    @Inject
    TenantScope scope;

    @Inject
    ReportLibrary library;

    @Inject
    ReportValues values;

    @Inject
    ReportRunner runner;

    @Inject
    ReportDownloads downloads;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String path = request.getPathInfo();
        if (path == null || path.equals("/")) {
            list(request, response);
            return;
        }
        Matcher csv = CSV.matcher(path);
        Optional<PsqlReport> report = csv.matches() ? library.named(csv.group(1)) : Optional.empty();
        if (report.isEmpty()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        download(report.get(), request, response);
    }

    private void list(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        AdminUser user = (AdminUser) request.getAttribute("user");
        Optional<TenantId> tenant = choice.of(user, request.getParameter("tenant"));
        request.setAttribute("choosesTenant", user.tenantId() == null); // operators, platform analysts
        if (tenant.isEmpty()) {
            request.setAttribute("tenants", tenants.all());
            request.getServletContext().getNamedDispatcher("admin-reports").forward(request, response);
            return;
        }
        request.setAttribute("tenant", tenant.get().value().toString());
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, String> period = Map.of("from", today.withDayOfMonth(1).toString(),
                "to", today.plusDays(1).toString());
        Map<String, String> given = new LinkedHashMap<>();
        try {
            given.putAll(values.of(request, library.variables()));
        } catch (ReportValues.Invalid e) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            request.setAttribute("error", e.getMessage());
        }
        period.forEach(given::putIfAbsent);
        List<ReportField> fields = new ArrayList<>();
        for (String variable : library.variables()) {
            String value = request.getParameter(variable);
            fields.add(new ReportField(variable, value == null || value.isBlank() ? period.get(variable)
                    : value.strip(), placeholder(variable)));
        }
        List<ReportLink> links = new ArrayList<>();
        for (PsqlReport report : library.all().values()) {
            StringBuilder href = new StringBuilder(request.getContextPath() + "/admin/reports/" + report.name()
                    + ".csv?");
            if (user.tenantId() == null) {
                href.append("tenant=").append(tenant.get().value()).append('&');
            }
            for (String variable : report.variables()) {
                if (given.containsKey(variable)) {
                    href.append(variable).append('=').append(encode(given.get(variable))).append('&');
                }
            }
            links.add(new ReportLink(report.name(), report.description(), report.variables(),
                    href.substring(0, href.length() - 1)));
        }
        request.setAttribute("fields", fields);
        request.setAttribute("reports", links);
        request.getServletContext().getNamedDispatcher("admin-reports").forward(request, response);
    }

    /** What applies to a variable left blank: the installation's setting, else the report file's default. */
    private String placeholder(String variable) {
        String installation = values.defaults().get(variable);
        if (installation != null) {
            return installation;
        }
        return library.all().values().stream().map(report -> report.defaults().get(variable))
                .filter(value -> value != null).findFirst().orElse("");
    }

    private void download(PsqlReport report, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        AdminUser user = (AdminUser) request.getAttribute("user");
        Optional<TenantId> tenant = choice.of(user, request.getParameter("tenant"));
        if (tenant.isEmpty()) {
            fail(response, HttpServletResponse.SC_BAD_REQUEST, "Name the tenant: ?tenant=<its id>");
            return;
        }
        Map<String, String> given;
        try {
            given = values.of(request, report.variables());
            for (String required : report.required()) {
                if (!given.containsKey(required)) {
                    throw new ReportValues.Invalid(required + " is required");
                }
            }
        } catch (ReportValues.Invalid e) {
            fail(response, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        ReportTable table;
        try {
            table = scope.call(tenant.get(), () -> runner.run(List.of(new ReportRunner.Run(report, given))))
                    .get(0);
        } catch (ReportRunner.ReportFailed e) {
            if (!e.badValue()) {
                throw e;
            }
            fail(response, HttpServletResponse.SC_BAD_REQUEST, "The report could not take these values: "
                    + e.getMessage().lines().findFirst().orElse(""));
            return;
        }
        scope.run(tenant.get(), () -> downloads.record(report.name(), given));
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + fileName(report, given) + "\"");
        Csv.write(table, response.getWriter());
    }

    /** The report's name and period: letters, digits, underscores and ISO dates only, so no quoting is needed. */
    private static String fileName(PsqlReport report, Map<String, String> given) {
        StringBuilder name = new StringBuilder(report.name());
        for (String bound : List.of("from", "to")) {
            if (given.containsKey(bound)) {
                name.append('_').append(given.get(bound));
            }
        }
        return name + ".csv";
    }

    private static void fail(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain; charset=UTF-8");
        response.getWriter().write(message + "\n");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
