package dev.steward.agents.api;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * One version of an agent, as the modules that run it see it. {@code llm} agents have a model (with fallbacks in
 * order), instructions, granted tools (and those whose writes need no approval), and whether masked personal data
 * is put back into its model's replies; {@code remote} agents an endpoint, a timeout and the protocol they speak.
 * How its sessions behave is
 * in {@link SessionPolicy}. The capabilities it offers (for discovery) and what it may propose in a workflow
 * ({@link ProposalScope}) apply to both, and so does {@link Voice} ({@code null}: it takes no voice turns).
 */
public record AgentDefinition(UUID id, String name, Kind kind, int version, String sha256, String model,
                              List<String> fallbackModels, String instructions, List<String> tools, String endpoint,
                              Duration timeout, boolean restorePersonalData, SessionPolicy sessions,
                              List<String> capabilities, List<ProposalScope> proposes, List<String> autoApprove,
                              Voice voice, Protocol protocol) {

    public AgentDefinition {
        capabilities = List.copyOf(capabilities);
        proposes = List.copyOf(proposes);
        autoApprove = List.copyOf(autoApprove);
    }

    /**
     * Whether a call of this granted tool waits for a person: writes and sends do ({@code confirms}), unless the
     * grant lists the tool in {@code autoApprove}.
     */
    public boolean callWaitsForApproval(String tool, boolean confirms) {
        return confirms && !autoApprove.contains(tool);
    }

    /**
     * Actions the agent may propose as a workflow specialist: on records of {@code type} (or, for {@code send}, over
     * the channel named by {@code type}), which {@code actions} ({@code create}, {@code update}, {@code send}), and
     * for updates which {@code fields} (empty: any). An agent with no scope may propose nothing.
     */
    public record ProposalScope(String type, List<String> actions, List<String> fields) {

        public ProposalScope {
            actions = List.copyOf(actions);
            fields = List.copyOf(fields);
        }

        public boolean allows(String recordType, String action, String field) {
            return type.equals(recordType) && actions.contains(action) && (field == null || fields.isEmpty()
                    || fields.contains(field));
        }
    }

    public enum Kind { LLM, REMOTE }

    /**
     * How Steward speaks to a remote agent: {@code STEWARD}, the signed lifecycle contract; {@code A2A}, the agent's
     * A2A card and JSON-RPC endpoint. {@code NONE} for llm agents.
     */
    public enum Protocol { NONE, STEWARD, A2A }

    /** The models that hear and speak the agent's voice turns, the voice they speak in, and the answers' format. */
    public record Voice(String transcriptionModel, String speechModel, String voice, String format) {

        public static final String DEFAULT_VOICE = "alloy";
        public static final String DEFAULT_FORMAT = "wav";
    }

    /**
     * How the agent's sessions behave: how long one may sit idle before it is evicted, what a message sent while a
     * turn still runs does, and the queue priority of its turns (P0-P3).
     */
    public record SessionPolicy(Duration idleTtl, DoubleTexting doubleTexting, String priority) {

        public static final Duration DEFAULT_TTL = Duration.ofHours(24);
        public static final DoubleTexting DEFAULT_DOUBLE_TEXTING = DoubleTexting.QUEUE;
        public static final String DEFAULT_PRIORITY = "P2";
    }

    /**
     * A message while a turn runs: {@code REJECT} answers 409, {@code QUEUE} runs it when the turn before it is done,
     * {@code INTERRUPT} stops the running turn (it fails as interrupted) and runs the new one at once.
     */
    public enum DoubleTexting { REJECT, QUEUE, INTERRUPT }
}
