package dev.steward.tools.internal;

import dev.steward.shared.FieldError;
import dev.steward.shared.HostPatterns;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.tenancy.api.RequiresScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The tenant's HTTP allow-list ({@code /api/v1/tools/http-hosts}): the hosts {@code http_get} and {@code http_send}
 * may reach. Replaced whole by PUT; an entry may reach private addresses only where the installation allows that.
 */
@ApplicationScoped
@Path("api/v1/tools/http-hosts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "tools")
public class HttpHostResource {

    static final String WRITE = "tools:write";
    static final int MAX_ENTRIES = 100;

    @Inject
    HttpHosts hosts;

    @Inject
    HttpCalls calls;

    @GET
    @RequiresScope(ToolResource.READ)
    @Operation(summary = "The hosts the tenant's HTTP tool calls may reach")
    public JsonObject get() {
        return view(hosts.list());
    }

    @PUT
    @RequiresScope(WRITE)
    @Operation(summary = "Replace the HTTP allow-list", description = "{\"hosts\": [{\"host\": \"api.example.com\"},"
            + " {\"host\": \"*.example.org:8443\", \"allowPrivate\": false}]}: host, host:port, host:* or *.domain")
    public JsonObject put(@NotNull JsonObject request) {
        List<FieldError> errors = new ArrayList<>();
        List<HttpHosts.Entry> entries = new ArrayList<>();
        if (!(request.get("hosts") instanceof JsonArray list) || list.size() > MAX_ENTRIES) {
            throw ProblemException.invalid("hosts", "must be a list of at most " + MAX_ENTRIES + " entries");
        }
        for (int i = 0; i < list.size(); i++) {
            String field = "hosts[" + i + "]";
            if (!(list.get(i) instanceof JsonObject entry) || !(entry.get("host") instanceof JsonString host)
                    || !host.getString().matches(HostPatterns.PATTERN)) {
                errors.add(new FieldError(field + ".host", "must be host, host:port, host:* or *.domain"));
                continue;
            }
            boolean allowPrivate = entry.getBoolean("allowPrivate", false);
            if (entry.containsKey("allowPrivate") && !(entry.get("allowPrivate") == JsonValue.TRUE
                    || entry.get("allowPrivate") == JsonValue.FALSE)) {
                errors.add(new FieldError(field + ".allowPrivate", "must be true or false"));
            } else if (allowPrivate && !calls.installationAllowsPrivate()) {
                errors.add(new FieldError(field + ".allowPrivate", "this installation does not let tools reach"
                        + " private addresses (STEWARD_TOOLS_HTTP_ALLOW_PRIVATE)"));
            }
            entries.add(new HttpHosts.Entry(host.getString().toLowerCase(Locale.ROOT), allowPrivate));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "The allow-list is not valid", errors);
        }
        hosts.replace(entries);
        return view(hosts.list());
    }

    private static JsonObject view(List<HttpHosts.Entry> entries) {
        JsonArrayBuilder list = Json.createArrayBuilder();
        entries.forEach(entry -> list.add(Json.createObjectBuilder().add("host", entry.host())
                .add("allowPrivate", entry.allowPrivate())));
        return Json.createObjectBuilder().add("hosts", list).build();
    }
}
