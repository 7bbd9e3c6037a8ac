package dev.steward.tools.internal;

import dev.steward.shared.FieldError;
import dev.steward.shared.Ids;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.shared.Times;
import dev.steward.tenancy.api.RequiresScope;
import dev.steward.tools.api.EmailChannel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The tenant's mail ({@code /api/v1/email/messages}): what went out and how it went (queued, sent, failed with the
 * server's answer, bounced), what came in, and sending a message directly. A message sent here goes through the
 * queue like an agent's, under the account's daily cap; agents send with the {@code send_email} tool, which waits
 * for a person's approval unless granted otherwise.
 */
@ApplicationScoped
@Path("api/v1/email/messages")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "email")
public class EmailMessageResource {

    @Inject
    EmailChannel channel;

    @Inject
    EmailMessages messages;

    @POST
    @RequiresScope(EmailAccountResource.WRITE)
    @Operation(summary = "Send a message", description = "{\"account\": \"support\" (default: the tenant's default"
            + " or only account), \"to\": [\"a@example.com\"], \"cc\": [], \"subject\": \"...\", \"body\": \"...\","
            + " \"inReplyTo\": \"<message-id>\"}: 202 with the queued message; the same Idempotency-Key answers the"
            + " first message (200)")
    public Response send(@NotNull JsonObject body,
                         @HeaderParam("Idempotency-Key") @Size(min = 1, max = 200) String idempotencyKey) {
        EmailChannel.Draft draft = draft(body);
        EmailChannel.Queued queued = channel.send(draft, idempotencyKey == null ? "api:" + UUID.randomUUID()
                : "api-key:" + idempotencyKey);
        if (queued.refused()) {
            throw ProblemException.invalid(queued.refusal().field(), queued.refusal().message());
        }
        JsonObject view = EmailViews.message(messages.find(queued.message()).orElseThrow());
        return (queued.duplicate() ? Response.ok() : Response.accepted()).entity(view)
                .location(UriBuilder.fromPath("/api/v1/email/messages/{id}").build(queued.message())).build();
    }

    @GET
    @RequiresScope(EmailAccountResource.READ)
    @Operation(summary = "The tenant's mail, newest first", description = "Filters: direction (out, in), state"
            + " (queued, sent, failed, bounced, received, bounce); page with before=<createdAt of the last seen>")
    public List<JsonObject> list(@QueryParam("direction") @Pattern(regexp = "out|in") String direction,
                                 @QueryParam("state") @Pattern(regexp = "queued|sent|failed|bounced|received|bounce")
                                 String state, @QueryParam("before") String before,
                                 @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return messages.list(direction, state, Times.fromQuery("before", before), limit).stream()
                .map(EmailViews::message).toList();
    }

    @GET
    @Path("{id}")
    @RequiresScope(EmailAccountResource.READ)
    @Operation(summary = "One message, with its attempts and the server's last answer")
    public JsonObject get(@PathParam("id") String id) {
        return messages.find(Ids.fromPath("message", id)).map(EmailViews::message)
                .orElseThrow(() -> ProblemException.notFound("message", id));
    }

    private static EmailChannel.Draft draft(JsonObject body) {
        List<FieldError> errors = new ArrayList<>();
        String account = text(body, "account", errors);
        List<String> to = addresses(body, "to", errors);
        List<String> cc = addresses(body, "cc", errors);
        String subject = text(body, "subject", errors);
        String text = text(body, "body", errors);
        String inReplyTo = text(body, "inReplyTo", errors);
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "The message is not valid", errors);
        }
        return new EmailChannel.Draft(account, to, cc, subject, text, inReplyTo);
    }

    private static String text(JsonObject body, String field, List<FieldError> errors) {
        JsonValue value = body.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonString string) {
            return string.getString();
        }
        errors.add(new FieldError(field, "must be a string"));
        return null;
    }

    private static List<String> addresses(JsonObject body, String field, List<FieldError> errors) {
        JsonValue value = body.get(field);
        if (value == null || value == JsonValue.NULL) {
            return List.of();
        }
        if (!(value instanceof JsonArray array) || array.stream().anyMatch(item -> !(item instanceof JsonString))) {
            errors.add(new FieldError(field, "must be a list of email addresses"));
            return List.of();
        }
        return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }
}
