package dev.steward.models.api;

/** The models the tenant in scope may bind an agent to: the built-in ones and those it registered. */
public interface ModelCatalog {

    /** The built-in model: deterministic, no network, available to every tenant without a provider account. */
    String SCRIPTED = "steward-scripted";

    boolean has(String modelName);
}
