package dev.steward.agents.internal;

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
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;

/**
 * The demo tenant's {@code assistant}: an {@code llm} agent on the built-in {@code steward-scripted} model, created
 * at start when the installation has a demo tenant and no live agent of that name (a changed one is left alone).
 */
@ApplicationScoped
class DemoAssistant {

    static final String NAME = "assistant";
    /** The demo's agents in the API's own bodies: lead-to-cash specialists, SQL, email triage and voice agents. */
    static final List<String> DEMO_AGENTS = List.of("/demo/lead-to-cash.json", "/demo/data-analyst.json",
            "/demo/email-triage.json", "/demo/voice-assistant.json");
    static final String MODEL = "steward-scripted";
    /** The built-in tools, so the demo can show a read, a write that waits for approval, and a long job. */
    static final List<String> DEMO_TOOLS = List.of("current_time", "save_note", "wait_seconds");

    @Inject
    DemoTenant demo;

    @Inject
    TenantScope scope;

    @Inject
    AgentStore agents;

    void seed(@Observes StewardStarted started) {
        RequestContext seeding = new RequestContext("demo-seed", null, Principal.system("demo-seed"), Set.of(),
                null, null);
        // Logged, never thrown: a failure here must not hold up the rest of start-up.
        try (CurrentRequest.Scope ignored = CurrentRequest.open(seeding)) {
            demo.find().ifPresent(tenant -> scope.run(tenant, () -> {
                if (agents.findByName(NAME).isEmpty()) {
                    agents.create(NAME, AgentConfig.of(new AgentRequest(NAME, "llm", MODEL,
                            "You are Steward's demo assistant: answer briefly and helpfully.", null, DEMO_TOOLS,
                            null, null, null, null, List.of(new AgentRequest.Capability("chat",
                                    "General conversation", null, null)), null, null, null, null, null, null,
                            null, null, null)));
                    Logs.of(DemoAssistant.class).info("Demo agent '" + NAME + "' created");
                }
                seedSpecialists();
            }));
        } catch (RuntimeException e) {
            Logs.of(DemoAssistant.class).log(Level.WARNING, "Could not create the demo agent", e);
        }
    }

    /** The agents the demo files hold (the orchestration module seeds their workflows). */
    private void seedSpecialists() {
        for (String file : DEMO_AGENTS) {
            try (InputStream in = DemoAssistant.class.getResourceAsStream(file);
                 JsonReader reader = Json.createReader(in); Jsonb jsonb = JsonbBuilder.create()) {
                for (JsonObject agent : reader.readObject().getJsonArray("agents").getValuesAs(JsonObject.class)) {
                    AgentRequest request = jsonb.fromJson(agent.toString(), AgentRequest.class);
                    if (agents.findByName(request.name()).isEmpty() && AgentConfig.problems(request).isEmpty()) {
                        agents.create(request.name(), AgentConfig.of(request));
                        Logs.of(DemoAssistant.class).info("Demo agent '" + request.name() + "' created");
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException("Could not read " + file, e);
            }
        }
    }
}
