package dev.steward.models.internal;

import dev.steward.models.api.ModelCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

@ApplicationScoped
class DefaultModelCatalog implements ModelCatalog {

    @Inject
    ModelStore store;

    @Override
    public boolean has(String modelName) {
        return SCRIPTED.equals(modelName) || store.model(modelName).isPresent();
    }
}
