package dev.steward.models.internal;

import dev.steward.models.api.ModelCatalog;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The models API's answers. Credentials appear by name only, never by value. */
final class ModelViews {

    private ModelViews() {
    }

    public record Provider(String id, String name, String type, String baseUrl, JsonObject settings,
                           List<String> credentials, Instant createdAt, Instant updatedAt) {
    }

    /** A model agents can name; {@code builtIn} ones have no id and cost nothing. */
    public record Model(String id, String name, String provider, String providerModel, BigDecimal inputPrice,
                        BigDecimal outputPrice, BigDecimal cachedInputPrice, boolean builtIn) {

        static final Model SCRIPTED = new Model(null, ModelCatalog.SCRIPTED, "steward", ModelCatalog.SCRIPTED,
                BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, true);
    }
}
