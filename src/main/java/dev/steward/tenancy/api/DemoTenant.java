package dev.steward.tenancy.api;

/** The demo tenant of a developer installation: slug {@value #SLUG}, reachable with a configured API key. */
public interface DemoTenant {

    String SLUG = "demo";

    /** Creates the demo tenant if it is missing, and makes {@code apiKey} one of its keys if it is not already. */
    void ensure(String apiKey);
}
