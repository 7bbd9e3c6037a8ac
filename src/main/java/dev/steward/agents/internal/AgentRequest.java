package dev.steward.agents.internal;

import jakarta.json.JsonObject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * {@code POST /api/v1/agents} and {@code PUT /api/v1/agents/{id}}: an agent's name and configuration. The simplest
 * is {@code {"name", "kind": "llm", "model", "instructions"}}. {@code llm} agents take {@code model},
 * {@code instructions}, {@code parameters}, {@code outputSchema}, {@code fallbackModels};
 * {@code remote} agents take {@code endpoint} (https) and {@code timeoutSeconds}, and {@code protocol}:
 * {@code steward} (the signed lifecycle contract, the default) or {@code a2a} (the endpoint is the remote agent's A2A
 * card, {@code token} the bearer token it is called with, written and never read back); both take {@code tools} (the
 * granted ones) and {@code capabilities}
 * and their sessions' settings: {@code sessionTtlSeconds} (idle time before eviction, default a day),
 * {@code doubleTexting} ({@code reject}, {@code queue} (default) or {@code interrupt}) and {@code priority} of turns.
 * {@code restorePersonalData} (llm, default true): false keeps masked values as placeholders in the answers.
 * {@code proposes}: what the agent may propose as a workflow specialist (none when absent).
 * {@code voice}: the models that hear and speak its voice turns (absent: the agent takes no voice turns).
 */
public record AgentRequest(
        @Pattern(regexp = NAME, message = "must be lowercase letters, digits, dots, dashes or underscores,"
                + " starting with a letter or digit, at most 63") String name,
        @NotBlank @Pattern(regexp = "llm|remote", message = "must be llm or remote") String kind,
        @Size(min = 1, max = 200) String model,
        @Size(max = 100_000) String instructions,
        JsonObject parameters,
        @Size(max = 100) List<@NotNull @Pattern(regexp = TOOL, message = "must be a tool name") String> tools,
        JsonObject outputSchema,
        @Size(max = 5) List<@NotNull @Size(min = 1, max = 200) String> fallbackModels,
        @Size(min = 1, max = 2000) String endpoint,
        @Min(1) @Max(300) Integer timeoutSeconds,
        @Size(max = 50) List<@NotNull @Valid Capability> capabilities,
        @Min(1) @Max(2_592_000) Integer sessionTtlSeconds,
        @Pattern(regexp = "reject|queue|interrupt", message = "must be reject, queue or interrupt") String doubleTexting,
        @Pattern(regexp = "P[0-3]", message = "must be one of P0, P1, P2, P3") String priority,
        Boolean restorePersonalData,
        @Size(max = 50) List<@NotNull @Valid ProposalScope> proposes,
        @Size(max = 100) List<@NotNull @Pattern(regexp = TOOL, message = "must be a tool name") String> autoApprove,
        @Valid Voice voice,
        @Pattern(regexp = "steward|a2a", message = "must be steward or a2a") String protocol,
        @Size(min = 1, max = 4000) @Pattern(regexp = "[\\x21-\\x7e]+", message = "must be printable ASCII without"
                + " spaces") String token) {

    static final String NAME = "[a-z0-9][a-z0-9._-]{0,62}";
    static final String TOOL = "[a-z][a-z0-9._-]{0,62}";

    /** What an agent can do, for discovery: a name, a description, and the shapes it takes and gives. */
    public record Capability(
            @NotBlank @Pattern(regexp = TOOL, message = "must be lowercase letters, digits, dots, dashes or"
                    + " underscores, starting with a letter") String name,
            @Size(max = 2000) String description,
            JsonObject input,
            JsonObject output) {
    }

    /** One entry of what a specialist may propose: actions on records of a type (or sends over a channel). */
    public record ProposalScope(
            @NotBlank @Pattern(regexp = "[a-z][a-z0-9_]{0,39}", message = "must be a record type or channel name")
            String type,
            @NotNull @Size(min = 1, max = 3) List<@NotNull @Pattern(regexp = "create|update|send",
                    message = "must be create, update or send") String> actions,
            @Size(max = 100) List<@NotNull @Size(min = 1, max = 100) String> fields) {
    }

    /**
     * How the agent hears and speaks in voice turns: a model that transcribes, a model that speaks, the speaking
     * voice (the provider's name; default alloy) and the audio format of the answers (default wav).
     */
    public record Voice(
            @NotBlank @Size(max = 200) String transcriptionModel,
            @NotBlank @Size(max = 200) String speechModel,
            @Pattern(regexp = "[A-Za-z0-9_-]{1,40}", message = "must be a voice name: letters, digits, dashes,"
                    + " underscores") String voice,
            @Pattern(regexp = "wav|mp3|opus|aac|flac|pcm", message = "must be wav, mp3, opus, aac, flac or pcm")
            String format) {
    }
}
