package dev.steward.agents.internal;

import dev.steward.agents.api.AgentDefinition;
import dev.steward.agents.api.AgentDefinition.DoubleTexting;
import dev.steward.agents.api.AgentDefinition.Kind;
import dev.steward.agents.api.AgentDefinition.SessionPolicy;
import dev.steward.agents.api.AgentDefinition.ProposalScope;
import dev.steward.agents.api.AgentDirectory;
import dev.steward.shared.CurrentRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
class DefaultAgentDirectory implements AgentDirectory {

    /** What a remote agent gets to answer when its configuration names no timeout. */
    static final int DEFAULT_TIMEOUT_SECONDS = 30;

    @Inject
    AgentStore store;

    @Inject
    SigningKeys signingKeys;

    @Inject
    RemoteTokens tokens;

    @Override
    public byte[] signingKey(UUID agentId) {
        return signingKeys.forAgent(CurrentRequest.get().requireTenant(), agentId);
    }

    @Override
    public Optional<String> remoteToken(UUID agentId) {
        return tokens.get(agentId);
    }

    @Override
    public Optional<AgentDefinition> current(UUID agentId) {
        return store.find(agentId).map(DefaultAgentDirectory::definition);
    }

    @Override
    public List<AgentDefinition> all() {
        return store.list(null, 500).stream().map(DefaultAgentDirectory::definition).toList();
    }

    @Override
    public Optional<AgentDefinition> named(String name) {
        return store.findByName(name).map(DefaultAgentDirectory::definition);
    }

    @Override
    public Optional<AgentDefinition> withCapability(String capability) {
        return store.list(capability, 1).stream().findFirst().map(DefaultAgentDirectory::definition);
    }

    @Override
    public Optional<AgentDefinition> version(UUID agentId, int version) {
        return store.pinned(agentId, version).map(DefaultAgentDirectory::definition);
    }

    static AgentDefinition definition(AgentStore.Stored agent) {
        JsonObject config = agent.config().json();
        SessionPolicy sessions = new SessionPolicy(
                config.containsKey("sessionTtlSeconds") ? Duration.ofSeconds(config.getInt("sessionTtlSeconds"))
                        : SessionPolicy.DEFAULT_TTL,
                config.containsKey("doubleTexting")
                        ? DoubleTexting.valueOf(config.getString("doubleTexting").toUpperCase(Locale.ROOT))
                        : SessionPolicy.DEFAULT_DOUBLE_TEXTING,
                config.getString("priority", SessionPolicy.DEFAULT_PRIORITY));
        Kind kind = Kind.valueOf(config.getString("kind").toUpperCase(Locale.ROOT));
        AgentDefinition.Protocol protocol = kind == Kind.LLM ? AgentDefinition.Protocol.NONE
                : AgentDefinition.Protocol.valueOf(config.getString("protocol", "steward").toUpperCase(Locale.ROOT));
        return new AgentDefinition(agent.id(), agent.name(), kind, agent.version(),
                agent.config().sha256(), config.getString("model", null), strings(config, "fallbackModels"),
                config.getString("instructions", null), strings(config, "tools"), config.getString("endpoint", null),
                Duration.ofSeconds(config.getInt("timeoutSeconds", DEFAULT_TIMEOUT_SECONDS)),
                config.getBoolean("restorePersonalData", true), sessions, capabilities(config), proposes(config),
                strings(config, "autoApprove"), voice(config), protocol);
    }

    private static AgentDefinition.Voice voice(JsonObject config) {
        JsonObject voice = config.getJsonObject("voice");
        return voice == null ? null : new AgentDefinition.Voice(voice.getString("transcriptionModel"),
                voice.getString("speechModel"), voice.getString("voice", AgentDefinition.Voice.DEFAULT_VOICE),
                voice.getString("format", AgentDefinition.Voice.DEFAULT_FORMAT));
    }

    private static List<String> capabilities(JsonObject config) {
        JsonArray capabilities = config.getJsonArray("capabilities");
        return capabilities == null ? List.of() : capabilities.getValuesAs(JsonObject.class).stream()
                .map(capability -> capability.getString("name")).toList();
    }

    private static List<ProposalScope> proposes(JsonObject config) {
        JsonArray scopes = config.getJsonArray("proposes");
        return scopes == null ? List.of() : scopes.getValuesAs(JsonObject.class).stream()
                .map(scope -> new ProposalScope(scope.getString("type"), strings(scope, "actions"),
                        strings(scope, "fields"))).toList();
    }

    private static List<String> strings(JsonObject config, String key) {
        JsonArray values = config.getJsonArray(key);
        return values == null ? List.of() : values.getValuesAs(JsonString.class).stream()
                .map(JsonString::getString).toList();
    }
}
