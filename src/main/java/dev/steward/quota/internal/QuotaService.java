package dev.steward.quota.internal;

import dev.steward.shared.FieldError;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;

/**
 * What the tenant's and the operator's quota endpoints share: reading limits as they apply, checking that an update
 * only sets limits that apply to its subject, storing it.
 */
@ApplicationScoped
class QuotaService {

    @Inject
    LimitStore store;

    @Inject
    QuotaAdmission admission;

    /** The tenant's subjects with limits or counters, the tenant itself always first. */
    List<QuotaView> list() {
        List<LimitStore.Stored> stored = new ArrayList<>(store.list());
        if (stored.stream().noneMatch(s -> s.subject().equals(Subject.TENANT))) {
            stored.add(unset(Subject.TENANT));
        }
        Instant now = Instant.now();
        return stored.stream()
                .sorted(Comparator.comparing((LimitStore.Stored s) -> !s.subject().equals(Subject.TENANT))
                        .thenComparing(s -> s.subject().key()))
                .map(s -> QuotaView.of(s, admission.settings(), now)).toList();
    }

    QuotaView get(Subject subject) {
        return QuotaView.of(store.find(subject).orElseGet(() -> unset(subject)), admission.settings(), Instant.now());
    }

    /** Replaces the subject's limits, or for {@code tenant} only {@code columns} of them. */
    QuotaView put(Subject subject, Limits limits, Set<LimitStore.Column> tenantColumns) {
        List<FieldError> errors = inapplicable(subject, limits);
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED,
                    "Some limits do not apply to " + subject.kind().name().toLowerCase(Locale.ROOT)
                            + " subjects", errors);
        }
        store.put(subject, limits, subject.equals(Subject.TENANT) ? tenantColumns
                : EnumSet.allOf(LimitStore.Column.class));
        return get(subject);
    }

    void reset(Subject subject) {
        store.delete(subject);
    }

    static Subject subject(String key) {
        return Subject.parse(key).orElseThrow(() -> ProblemException.notFound("quota subject", key));
    }

    private static LimitStore.Stored unset(Subject subject) {
        return new LimitStore.Stored(subject, Limits.NONE, new Usage(), null);
    }

    private static List<FieldError> inapplicable(Subject subject, Limits limits) {
        List<FieldError> errors = new ArrayList<>();
        Subject.Kind kind = subject.kind();
        boolean tenantOrAgent = kind == Subject.Kind.TENANT || kind == Subject.Kind.AGENT;
        reject(errors, "concurrency", limits.concurrency() != null && !tenantOrAgent);
        reject(errors, "perMinute", limits.perMinute() != null && kind == Subject.Kind.CHANNEL);
        reject(errors, "tokensPerMinute", limits.tokensPerMinute() != null && kind != Subject.Kind.PROVIDER);
        reject(errors, "perDay", limits.perDay() != null && kind != Subject.Kind.CHANNEL);
        reject(errors, "channelType", limits.channelType() != null && kind != Subject.Kind.CHANNEL);
        reject(errors, "monthlyBudget", limits.monthlyBudget() != null && kind != Subject.Kind.TENANT);
        return errors;
    }

    private static void reject(List<FieldError> errors, String field, boolean inapplicable) {
        if (inapplicable) {
            errors.add(new FieldError(field, "does not apply to this subject"));
        }
    }
}
