package dev.steward.models.internal;

import dev.steward.models.api.ModelCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

@ApplicationScoped
class DefaultModelCatalog implements ModelCatalog {

    @Inject
    ModelStore store;

    @Override
    public boolean has(String modelName) {
        return SCRIPTED.equals(modelName) || store.model(modelName).isPresent();
    }

    @Override
    public Optional<String> providerAccount(String modelName) {
        return SCRIPTED.equals(modelName) ? Optional.empty() : store.model(modelName).map(ModelViews.Model::provider);
    }
}
