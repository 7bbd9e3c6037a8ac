package dev.steward.models.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The tenant in scope's provider accounts and models as people look them over (the admin UI), read as
 * {@code GET /api/v1/providers} and {@code /api/v1/models} read them. A provider account's credentials appear by name
 * only: whether any are set, never a value.
 */
public interface ModelListing {

    /** Every provider account, by name (a tenant has a handful). */
    List<ProviderAccount> providers();

    /** The models agents can use, the built-in one first and then the tenant's by name: from {@code offset}. */
    List<PricedModel> models(int offset, int limit);

    /** A provider account: its type (openai, anthropic, ...), its base URL (null: the type's own). */
    record ProviderAccount(String name, String type, String baseUrl, List<String> credentialNames,
                           Instant createdAt, Instant updatedAt) {

        public ProviderAccount {
            credentialNames = List.copyOf(credentialNames);
        }

        public boolean credentialSet() {
            return !credentialNames.isEmpty();
        }
    }

    /**
     * A model and its prices per million tokens, in the installation's currency, as metering charges them
     * ({@code cachedInputPrice} null: cached input costs the input price). The built-in model costs nothing.
     */
    record PricedModel(String name, String provider, String providerModel, BigDecimal inputPrice,
                       BigDecimal outputPrice, BigDecimal cachedInputPrice, boolean builtIn) {
    }
}
