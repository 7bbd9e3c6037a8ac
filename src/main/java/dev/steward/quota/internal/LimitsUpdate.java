package dev.steward.quota.internal;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.math.BigDecimal;

/**
 * {@code PUT /api/v1/quotas/{subject}}: the subject's own limits, replacing those it had; an absent field falls back
 * to the platform default. Which fields apply depends on the subject: concurrency and perMinute for the tenant and
 * agents, perMinute and tokensPerMinute for providers, perDay and channelType for channels, monthlyBudget for the
 * tenant.
 */
public record LimitsUpdate(
        @Min(1) @Max(1_000_000) Integer concurrency,
        @Min(1) @Max(1_000_000_000) Integer perMinute,
        @Min(1) @Max(1_000_000_000) Integer tokensPerMinute,
        @Min(0) @Max(100_000_000) Integer perDay,
        @Pattern(regexp = "gmail|o365|smtp", message = "must be one of gmail, o365, smtp") String channelType,
        @DecimalMin("0") @Digits(integer = 12, fraction = 2) BigDecimal monthlyBudget) {

    Limits toLimits() {
        return new Limits(concurrency, perMinute, tokensPerMinute, perDay, channelType, monthlyBudget);
    }
}
