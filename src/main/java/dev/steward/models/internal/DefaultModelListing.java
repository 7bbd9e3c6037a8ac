package dev.steward.models.internal;

import dev.steward.models.api.ModelListing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/** {@link ModelListing} over the model store, under the tenant in scope's row-level security. */
@ApplicationScoped
class DefaultModelListing implements ModelListing {

    @Inject
    ModelStore store;

    @Override
    public List<ProviderAccount> providers() {
        return store.providers().stream().map(provider -> new ProviderAccount(provider.name(), provider.type(),
                provider.baseUrl(), provider.credentials(), provider.createdAt(), provider.updatedAt())).toList();
    }

    /** The built-in model is the listing's first row; the tenant's follow it, so their offsets are one less. */
    @Override
    public List<PricedModel> models(int offset, int limit) {
        List<ModelViews.Model> rows = new ArrayList<>();
        if (offset == 0) {
            rows.add(ModelViews.Model.SCRIPTED);
        }
        if (limit > rows.size()) {
            rows.addAll(store.models(Math.max(0, offset - 1), limit - rows.size()));
        }
        return rows.stream().map(model -> new PricedModel(model.name(), model.provider(), model.providerModel(),
                model.inputPrice(), model.outputPrice(), model.cachedInputPrice(), model.builtIn())).toList();
    }
}
