package dev.steward.orchestration.internal;

import dev.steward.tools.api.EmailChannel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;

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
        EmailChannel.Queued queued = email.send(EmailChannel.Draft.of(action), "approval:" + approval.id());
        approvals.outbox(approval.id(), channel, action, queued.refused() ? "failed" : "approved");
        return queued.refused()
                ? Json.createObjectBuilder().add("applied", false).add("reason", "email " + queued.reason()).build()
                : Json.createObjectBuilder().add("applied", true).add("outbox", channel)
                .add("email", queued.message().toString()).add("account", queued.account()).build();
    }
}
