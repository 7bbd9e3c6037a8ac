package dev.steward.models.internal;

import dev.steward.audit.api.AuditEntry;
import dev.steward.audit.api.AuditTrail;
import dev.steward.billing.api.UsageEvent;
import dev.steward.billing.api.UsageMeter;
import dev.steward.models.api.ChatGateway.CallContext;
import dev.steward.quota.api.SpendLedger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.UUID;

/** A model call's usage event, its cost added to the month's spend, and its audit entry, in one transaction. */
@ApplicationScoped
class Metering {

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    @Inject
    UsageMeter meter;

    @Inject
    SpendLedger spend;

    @Inject
    AuditTrail audit;

    /** The usage event, the spend, and the call on the audit trail (what was called, never what was said). */
    @Transactional
    void record(UsageEvent event) {
        meter.record(event);
        spend.add(event.cost());
        // The call was a session's, or a workflow run's ("run:<id>"), or neither.
        String context = event.sessionId();
        boolean ofRun = context != null && context.startsWith(CallContext.RUN_PREFIX);
        audit.record(new AuditEntry("model.called", event.agentId(),
                context == null || ofRun ? null : UUID.fromString(context),
                ofRun ? UUID.fromString(context.substring(CallContext.RUN_PREFIX.length())) : null, null,
                Json.createObjectBuilder().add("model", event.model()).add("provider", event.provider())
                        .add("inputTokens", event.inputTokens()).add("outputTokens", event.outputTokens())
                        .add("cachedTokens", event.cachedTokens()).add("latencyMs", event.latencyMillis())
                        .add("outcome", event.succeeded() ? "ok" : "failed").build()));
    }

    /**
     * What the tokens cost at the model's prices per million: input at the input price, except the cached part at
     * the cached-input price when the model has one, and output at the output price.
     */
    static BigDecimal cost(ModelStore.Binding binding, int inputTokens, int outputTokens, int cachedTokens) {
        int cached = Math.min(cachedTokens, inputTokens);
        BigDecimal cachedPrice = binding.cachedInputPrice() == null ? binding.inputPrice()
                : binding.cachedInputPrice();
        return binding.inputPrice().multiply(BigDecimal.valueOf(inputTokens - cached))
                .add(cachedPrice.multiply(BigDecimal.valueOf(cached)))
                .add(binding.outputPrice().multiply(BigDecimal.valueOf(outputTokens)))
                .divide(MILLION, MathContext.DECIMAL64);
    }
}
