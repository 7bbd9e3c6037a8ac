package dev.steward.models.internal;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/**
 * {@code POST /api/v1/models}: a model the tenant prices on one of its provider accounts. {@code name} is what agents
 * name; {@code providerModel} the provider's own id for it; prices are per million tokens.
 */
public record ModelRequest(
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9._:-]{0,99}", message = "must be lowercase letters, digits,"
                + " dots, colons, dashes or underscores, at most 100") String name,
        @NotBlank String provider,
        @NotBlank @Size(max = 200) String providerModel,
        @NotNull @DecimalMin("0") @Digits(integer = 8, fraction = 4) BigDecimal inputPrice,
        @NotNull @DecimalMin("0") @Digits(integer = 8, fraction = 4) BigDecimal outputPrice,
        @DecimalMin("0") @Digits(integer = 8, fraction = 4) BigDecimal cachedInputPrice) {
}
