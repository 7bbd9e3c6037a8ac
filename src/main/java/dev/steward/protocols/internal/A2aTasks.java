package dev.steward.protocols.internal;

import dev.steward.sessions.api.Conversations;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A2A (protocol 1.0, its JSON form) over sessions: a task is a turn, its context the turn's session, its input the
 * user's message and its answer the agent's message and an {@code answer} artifact. A turn waiting for a person's
 * approval in Steward is still working as far as the client can tell (it cannot approve); a turn canceled by its
 * client is canceled; any other failure is failed, with the error as the status message.
 */
final class A2aTasks {

    static final String ARTIFACT = "answer";

    private A2aTasks() {
    }

    static String state(Conversations.TurnStatus turn) {
        return switch (turn.state()) {
            case "received" -> "TASK_STATE_SUBMITTED";
            case "done" -> "TASK_STATE_COMPLETED";
            case "failed" -> turn.canceled() ? "TASK_STATE_CANCELED" : "TASK_STATE_FAILED";
            default -> "TASK_STATE_WORKING";
        };
    }

    /** The task as it stands, with the last {@code historyLength} (all when null) of what was asked and answered. */
    static JsonObject task(Conversations.TurnStatus turn, String note, Integer historyLength) {
        JsonObjectBuilder task = Json.createObjectBuilder().add("id", turn.turnId().toString())
                .add("contextId", turn.sessionId().toString()).add("status", status(turn, note));
        if (turn.answer() != null) {
            task.add("artifacts", Json.createArrayBuilder().add(artifact(turn.answer())));
        }
        List<JsonObject> history = new ArrayList<>();
        if (turn.input() != null) {
            history.add(message(turn, "ROLE_USER", "in", turn.input()));
        }
        if (turn.answer() != null) {
            history.add(message(turn, "ROLE_AGENT", "out", turn.answer()));
        }
        int keep = historyLength == null ? history.size() : Math.min(historyLength, history.size());
        JsonArrayBuilder kept = Json.createArrayBuilder();
        history.subList(history.size() - keep, history.size()).forEach(kept::add);
        return task.add("history", kept).build();
    }

    /**
     * The task's status: its state, and a message from the agent when there is something to say (its answer, why
     * it failed, or {@code note}: what it waits for).
     */
    static JsonObject status(Conversations.TurnStatus turn, String note) {
        JsonObjectBuilder status = Json.createObjectBuilder().add("state", state(turn))
                .add("timestamp", (turn.updatedAt() == null ? Instant.now() : turn.updatedAt()).toString());
        String said = turn.answer() != null ? turn.answer() : turn.error() != null ? turn.error() : note;
        if (said != null) {
            status.add("message", message(turn, "ROLE_AGENT", "status", said));
        }
        return status.build();
    }

    static JsonObject statusUpdate(Conversations.TurnStatus turn, String note) {
        return Json.createObjectBuilder().add("statusUpdate", Json.createObjectBuilder()
                .add("taskId", turn.turnId().toString()).add("contextId", turn.sessionId().toString())
                .add("status", status(turn, note))).build();
    }

    /** A piece of the answer as it streams: the first starts the artifact, the rest append to it. */
    static JsonObject artifactUpdate(Conversations.TurnStatus turn, String text, boolean append, boolean last) {
        JsonArrayBuilder parts = Json.createArrayBuilder();
        if (!text.isEmpty()) {
            parts.add(Json.createObjectBuilder().add("text", text));
        }
        return Json.createObjectBuilder().add("artifactUpdate", Json.createObjectBuilder()
                .add("taskId", turn.turnId().toString()).add("contextId", turn.sessionId().toString())
                .add("artifact", Json.createObjectBuilder().add("artifactId", ARTIFACT).add("name", ARTIFACT)
                        .add("parts", parts))
                .add("append", append).add("lastChunk", last)).build();
    }

    private static JsonObject artifact(String answer) {
        return Json.createObjectBuilder().add("artifactId", ARTIFACT).add("name", ARTIFACT)
                .add("parts", Json.createArrayBuilder().add(Json.createObjectBuilder().add("text", answer))).build();
    }

    private static JsonObject message(Conversations.TurnStatus turn, String role, String suffix, String text) {
        return Json.createObjectBuilder().add("messageId", turn.turnId() + "-" + suffix)
                .add("contextId", turn.sessionId().toString()).add("taskId", turn.turnId().toString())
                .add("role", role).add("parts", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("text", text))).build();
    }
}
