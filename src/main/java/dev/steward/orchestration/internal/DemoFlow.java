package dev.steward.orchestration.internal;

import dev.steward.shared.CurrentRequest;
import dev.steward.shared.Logs;
import dev.steward.shared.Principal;
import dev.steward.shared.RequestContext;
import dev.steward.shared.StewardStarted;
import dev.steward.tenancy.api.DemoTenant;
import dev.steward.tenancy.api.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;

/**
 * The demo tenant's workflows and the rules that start them (lead-to-cash on every new lead, email triage on every
 * inbound message), created at start when the demo tenant has none of that name (a changed one is left alone). Their
 * specialists are seeded by the agents module from the same files, written in the public API's bodies.
 */
@ApplicationScoped
class DemoFlow {

    static final List<String> FILES = List.of("/demo/lead-to-cash.json", "/demo/email-triage.json");

    @Inject
    DemoTenant demo;

    @Inject
    TenantScope scope;

    @Inject
    DefinitionStore definitions;

    void seed(@Observes StewardStarted started) {
        RequestContext seeding = new RequestContext("demo-seed", null, Principal.system("demo-seed"), Set.of(),
                null, null);
        // Logged, never thrown: a failure here must not hold up the rest of start-up.
        try (CurrentRequest.Scope ignored = CurrentRequest.open(seeding)) {
            demo.find().ifPresent(tenant -> scope.run(tenant, () -> FILES.forEach(file -> {
                JsonObject flow = read(file);
                seed(Routing.WORKFLOW, flow.getJsonArray("workflows").getValuesAs(JsonObject.class));
                seed(Routing.RULE, flow.getJsonArray("routingRules").getValuesAs(JsonObject.class));
            })));
        } catch (RuntimeException e) {
            Logs.of(DemoFlow.class).log(Level.WARNING, "Could not create the demo workflow", e);
        }
    }

    private void seed(String kind, List<JsonObject> bodies) {
        for (JsonObject body : bodies) {
            String name = body.getString("name");
            JsonObject definition = Json.createObjectBuilder(body).remove("name").build();
            if (definitions.findByName(kind, name).isEmpty()) {
                definitions.create(kind, name, definition);
                Logs.of(DemoFlow.class).info("Demo " + kind + " '" + name + "' created");
            }
        }
    }

    private static JsonObject read(String file) {
        try (InputStream in = DemoFlow.class.getResourceAsStream(file); JsonReader reader = Json.createReader(in)) {
            return reader.readObject();
        } catch (IOException e) {
            throw new IllegalStateException("Could not read " + file, e);
        }
    }
}
