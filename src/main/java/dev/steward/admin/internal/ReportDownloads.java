package dev.steward.admin.internal;

import dev.steward.audit.api.AuditEntry;
import dev.steward.audit.api.AuditTrail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.Transactional;
import java.util.Map;

/**
 * A report downloaded as CSV is data leaving Steward: each download is audited ({@code admin.report.downloaded},
 * the report and the values it ran with, the person as the actor) in the tenant's trail, in its own transaction
 * after the report ran (the report's is read only) and before the file is sent, so no file goes unrecorded.
 */
@ApplicationScoped
class ReportDownloads {

    @Inject
    AuditTrail trail;

    @Transactional
    void record(String report, Map<String, String> values) {
        JsonObjectBuilder details = Json.createObjectBuilder().add("report", report);
        values.forEach(details::add);
        trail.record(AuditEntry.of("admin.report.downloaded", details.build()));
    }
}
