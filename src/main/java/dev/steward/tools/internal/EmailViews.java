package dev.steward.tools.internal;

import dev.steward.quota.api.ChannelAccounts;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.List;

/** Mail accounts and messages as the API shows them; an account's password never leaves the database. */
final class EmailViews {

    private EmailViews() {
    }

    static JsonObject account(EmailAccount account, ChannelAccounts.DailyUse today) {
        JsonObjectBuilder view = Json.createObjectBuilder().add("name", account.name())
                .add("provider", account.provider()).add("address", account.address())
                .add("displayName", nullable(account.displayName())).add("username", account.username())
                .add("hasPassword", account.hasPassword()).add("default", account.isDefault())
                .add("smtp", server(account.smtp()).build())
                .add("imap", account.imap() == null ? JsonValue.NULL
                        : server(account.imap()).add("folder", account.imapFolder()).build())
                .add("today", Json.createObjectBuilder().add("sent", today.used()).add("cap", today.cap()))
                .add("createdAt", account.createdAt().toString());
        if (account.imap() != null) {
            view.add("inbound", Json.createObjectBuilder().add("lastPolledAt", time(account.lastPolledAt()))
                    .add("lastError", nullable(account.lastError())));
        }
        return view.build();
    }

    static JsonObject message(EmailMessage message) {
        return Json.createObjectBuilder().add("id", message.id().toString()).add("account", message.account())
                .add("direction", message.direction()).add("state", message.state()).add("from", message.sender())
                .add("to", list(message.to())).add("cc", list(message.cc())).add("subject", message.subject())
                .add("body", message.body()).add("messageId", nullable(message.messageId()))
                .add("inReplyTo", nullable(message.inReplyTo())).add("attempts", message.attempts())
                .add("lastError", nullable(message.lastError())).add("createdAt", message.createdAt().toString())
                .add("finishedAt", time(message.finishedAt())).build();
    }

    private static JsonObjectBuilder server(EmailAccount.Server server) {
        return Json.createObjectBuilder().add("host", server.host()).add("port", server.port())
                .add("security", server.security());
    }

    private static JsonArrayBuilder list(List<String> values) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        values.forEach(array::add);
        return array;
    }

    private static JsonValue nullable(String text) {
        return text == null ? JsonValue.NULL : Json.createValue(text);
    }

    private static JsonValue time(Instant time) {
        return time == null ? JsonValue.NULL : Json.createValue(time.toString());
    }
}
