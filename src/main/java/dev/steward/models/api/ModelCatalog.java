package dev.steward.models.api;

import java.util.Optional;

/** The models the tenant in scope may bind an agent to: the built-in ones and those it registered. */
public interface ModelCatalog {

    /** The built-in model: deterministic, no network, available to every tenant without a provider account. */
    String SCRIPTED = "steward-scripted";

    boolean has(String modelName);

    /**
     * The provider account a tenant's model is called through, whose limits ({@code provider:<account>}) the
     * constraint engine checks before work on the model runs; empty for the built-in model and unknown names.
     */
    Optional<String> providerAccount(String modelName);
}
