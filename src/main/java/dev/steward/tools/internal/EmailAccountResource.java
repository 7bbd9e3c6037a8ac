package dev.steward.tools.internal;

import dev.steward.quota.api.ChannelAccounts;
import dev.steward.shared.FieldError;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.tenancy.api.RequiresScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The tenant's mail accounts ({@code /api/v1/email/accounts}): where its agents' mail goes out from (SMTP, under
 * the account's daily cap, {@code channel:<name>} in the quotas) and, with {@code imap}, the inbox polled for
 * inbound mail. Passwords are written, never read back.
 */
@ApplicationScoped
@Path("api/v1/email/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "email", description = "The email channel: accounts, outbound and inbound mail")
public class EmailAccountResource {

    static final String READ = "email:read";
    static final String WRITE = "email:write";

    @Inject
    EmailAccounts accounts;

    @Inject
    ChannelAccounts channels;

    @Inject
    MailServers servers;

    @GET
    @RequiresScope(READ)
    @Operation(summary = "The tenant's mail accounts, with today's sends against each one's daily cap")
    public List<JsonObject> list() {
        return accounts.list().stream().map(this::view).toList();
    }

    @GET
    @Path("{name}")
    @RequiresScope(READ)
    @Operation(summary = "One mail account, with how its inbox polling goes")
    public JsonObject get(@PathParam("name") String name) {
        return view(accounts.find(name).orElseThrow(() -> missing(name)));
    }

    @POST
    @RequiresScope(WRITE)
    @Operation(summary = "Add a mail account", description = "{\"name\": \"support\", \"provider\": \"gmail\","
            + " \"address\": \"support@example.com\", \"password\": \"app password\", \"imap\": {}}: gmail and o365"
            + " get their providers' servers; smtp names {\"smtp\": {\"host\", \"port\", \"security\": none|starttls|"
            + "tls}}; an imap object turns on inbound polling. 409 when the name is taken")
    public Response create(@NotNull JsonObject body) {
        EmailAccountRequest request = EmailAccountRequest.of(body);
        List<FieldError> errors = new ArrayList<>();
        String smtpRefusal = servers.refusal(request.smtp().host());
        if (smtpRefusal != null) {
            errors.add(new FieldError("smtp.host", smtpRefusal));
        }
        String imapRefusal = request.imap() == null ? null : servers.refusal(request.imap().host());
        if (imapRefusal != null) {
            errors.add(new FieldError("imap.host", imapRefusal));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "The mail servers cannot be reached", errors);
        }
        EmailAccount created = accounts.create(request).orElseThrow(() -> new ProblemException(ProblemType.CONFLICT,
                "The tenant has a mail account named " + request.name()));
        return Response.created(UriBuilder.fromPath("/api/v1/email/accounts/{name}").build(created.name()))
                .entity(view(created)).build();
    }

    @DELETE
    @Path("{name}")
    @RequiresScope(WRITE)
    @Operation(summary = "Remove a mail account", description = "Its messages stay; queued ones fail")
    public Response delete(@PathParam("name") String name) {
        if (!accounts.delete(name)) {
            throw missing(name);
        }
        return Response.noContent().build();
    }

    private JsonObject view(EmailAccount account) {
        return EmailViews.account(account, channels.today(account.name()));
    }

    private static ProblemException missing(String name) {
        return new ProblemException(ProblemType.NOT_FOUND, "No mail account named " + name);
    }
}
