package dev.steward.orchestration.internal;

import dev.steward.tools.api.EmailChannel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * Where an approved {@code send} goes: the outbox keeps the approved message; an {@code email} one is handed to the
 * tenant's email channel in the same transaction (once per approval), which sends it through the queue under the
 * account's daily cap. A message the channel refuses (no such account, a bad address) is marked failed, with why.
 */
@ApplicationScoped
class Outbox {

    @Inject
    ApprovalStore approvals;

    @Inject
    EmailChannel email;

    @Transactional(Transactional.TxType.MANDATORY)
    JsonObject deliver(ApprovalStore.Approval approval, JsonObject action) {
        String channel = action.getString("channel");
        if (!channel.equals("email")) {
            approvals.outbox(approval.id(), channel, action, "approved");
            return Json.createObjectBuilder().add("applied", true).add("outbox", channel).build();
        }
        EmailChannel.Queued queued = email.send(new EmailChannel.Draft(text(action, "account"),
                addresses(action.get("to")), addresses(action.get("cc")), text(action, "subject"),
                text(action, "body"), text(action, "inReplyTo")), "approval:" + approval.id());
        approvals.outbox(approval.id(), channel, action, queued.refused() ? "failed" : "approved");
        return queued.refused()
                ? Json.createObjectBuilder().add("applied", false).add("reason", "email " + queued.error()).build()
                : Json.createObjectBuilder().add("applied", true).add("outbox", channel)
                .add("email", queued.message().toString()).add("account", queued.account()).build();
    }

    private static String text(JsonObject action, String field) {
        return action.get(field) instanceof JsonString text ? text.getString() : null;
    }

    /** One address or a list of them, as proposals write either. */
    private static List<String> addresses(JsonValue value) {
        if (value instanceof JsonString one) {
            return List.of(one.getString());
        }
        return value instanceof JsonArray list ? list.stream()
                .map(item -> item instanceof JsonString text ? text.getString() : "").toList() : List.of();
    }
}
