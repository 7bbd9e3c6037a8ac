package dev.steward.admin.internal;

import dev.steward.agents.api.AgentDefinition;
import dev.steward.agents.api.AgentDirectory;
import dev.steward.quota.api.QuotaOverview;
import dev.steward.shared.TenantId;
import dev.steward.tools.api.MailAccounts;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A tenant's quotas ({@code /admin/quotas}): its limits (its own, its agents', its provider accounts') with what is
 * used of each now, a page at a time; and its mail accounts with today's sends against each one's daily cap.
 */
@WebServlet(urlPatterns = "/admin/quotas")
public class QuotasServlet extends TenantPageServlet {

    /** Mail accounts shown; a tenant has a handful, and the page says when there are more. */
    static final int MAIL_ACCOUNTS = 100;

    @Inject
    QuotaOverview quotas;

    @Inject
    MailAccounts mailAccounts;

    @Inject
    AgentDirectory directory;

    @Override
    String page() {
        return "admin-quotas";
    }

    @Override
    boolean show(HttpServletRequest request, TenantId tenant) {
        Paging paging = Paging.of(request);
        List<QuotaOverview.SubjectQuota> subjects = scope.call(tenant, () -> quotas.subjects(paging.offset(),
                paging.fetch()));
        paging.show(request, "quotas", subjects);
        request.setAttribute("agentNames", scope.call(tenant, () -> agentNames(subjects)));
        List<MailAccounts.MailAccount> accounts = scope.call(tenant, () -> mailAccounts.list(0, MAIL_ACCOUNTS + 1));
        request.setAttribute("mailAccounts", accounts.subList(0, Math.min(accounts.size(), MAIL_ACCOUNTS)));
        request.setAttribute("moreMailAccounts", accounts.size() > MAIL_ACCOUNTS);
        return true;
    }

    /** The names of the live agents among the subjects, by id (one read); a deleted agent's limits show its id alone. */
    private Map<String, String> agentNames(List<QuotaOverview.SubjectQuota> subjects) {
        Map<String, String> live = directory.all().stream()
                .collect(Collectors.toMap(agent -> agent.id().toString(), AgentDefinition::name));
        Map<String, String> names = new HashMap<>();
        subjects.stream().map(QuotaOverview.SubjectQuota::agentId).filter(live::containsKey)
                .forEach(agent -> names.put(agent, live.get(agent)));
        return names;
    }
}
