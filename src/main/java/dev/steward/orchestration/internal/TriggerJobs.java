package dev.steward.orchestration.internal;

import dev.steward.dispatch.api.Job;
import dev.steward.dispatch.api.JobHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.time.Instant;
import java.util.UUID;

/** Routes the triggers record changes and schedules queued ({@link Triggers}, {@link Schedules}). */
@ApplicationScoped
class TriggerJobs implements JobHandler {

    @Inject
    Routing routing;

    @Override
    public String kind() {
        return Triggers.KIND;
    }

    @Override
    public void handle(Job job) {
        JsonObject payload;
        try (JsonReader reader = Json.createReader(new StringReader(job.payloadJson()))) {
            payload = reader.readObject();
        }
        if (payload.containsKey("rule")) {
            routing.scheduled(UUID.fromString(payload.getString("rule")),
                    Instant.parse(payload.getString("scheduledAt")));
            return;
        }
        if (payload.containsKey("data")) { // an event from outside: inbound mail
            Routing.Trigger trigger = new Routing.Trigger(payload.getString("event"), null,
                    payload.getJsonObject("data"), null, payload.getString("key"));
            routing.deliver(trigger);
            routing.route(trigger);
            return;
        }
        JsonObject record = payload.getJsonObject("record");
        String cause = payload.getString("causeRun", null);
        Routing.Trigger trigger = new Routing.Trigger(payload.getString("event"), record, null,
                cause == null ? null : UUID.fromString(cause), payload.getString("event") + ":" + record.getString("id")
                + ":v" + record.getInt("version"));
        routing.deliver(trigger);
        routing.route(trigger);
    }
}
