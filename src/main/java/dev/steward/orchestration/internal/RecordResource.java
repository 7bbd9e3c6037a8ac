package dev.steward.orchestration.internal;

import dev.steward.shared.FieldError;
import dev.steward.shared.Ids;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.shared.Times;
import dev.steward.tenancy.api.RequiresScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A tenant's business records and record types. Another tenant's record is a 404. */
@ApplicationScoped
@Path("api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "records", description = "Typed, versioned business records that agents work on")
public class RecordResource {

    static final String READ = "records:read";
    static final String WRITE = "records:write";
    /** Types every tenant has; their fields are free. */
    static final List<String> BUILT_IN = List.of("lead", "account", "opportunity", "case", "task");
    private static final String FIELD_FILTER = "field.";
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile(
            "-?(0|[1-9][0-9]{0,30})(\\.[0-9]{1,30})?([eE][+-]?[0-9]{1,3})?");

    @Inject
    RecordStore store;

    @Inject
    RunStore runs;

    @POST
    @Path("records")
    @RequiresScope(WRITE)
    @Operation(summary = "Create a record", description = "{type, fields}; fields must meet the type's schema")
    public Response create(@NotNull @Valid RecordRequests.Create request) {
        check(request.type(), request.fields(), "type");
        RecordViews.Record record = store.create(request.type(), request.fields());
        return Response.created(UriBuilder.fromPath("/api/v1/records/{id}").build(record.id())).entity(record).build();
    }

    @GET
    @Path("records/{id}")
    @RequiresScope(READ)
    @Operation(summary = "One record", description = "With workflows: the runs that hold it or wait for it, and"
            + " what their nodes are doing (label, e.g. \"being qualified\")")
    public RecordViews.Detail get(@PathParam("id") String id) {
        UUID record = parse(id);
        return RecordViews.Detail.of(store.find(record).orElseThrow(() -> ProblemException.notFound("record", id)),
                runs.activity(record).stream().map(RunViews.Activity::of).toList());
    }

    @GET
    @Path("records")
    @RequiresScope(READ)
    @Operation(summary = "The tenant's records, newest first",
            description = "Filters: type, and field.<name>=<value> for each field to match (numbers and true/false"
                    + " as such, anything else as text); page with before=<createdAt of the last seen>")
    public List<RecordViews.Record> list(@QueryParam("type") String type, @QueryParam("before") String before,
                                         @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
                                         @Context UriInfo uri) {
        JsonObjectBuilder match = Json.createObjectBuilder();
        for (Map.Entry<String, List<String>> parameter : uri.getQueryParameters().entrySet()) {
            if (parameter.getKey().startsWith(FIELD_FILTER) && parameter.getKey().length() > FIELD_FILTER.length()) {
                match.add(parameter.getKey().substring(FIELD_FILTER.length()), literal(parameter.getValue().get(0)));
            }
        }
        Instant beforeTime = Times.fromQuery("before", before);
        return store.list(type, match.build(), beforeTime, limit);
    }

    @PUT
    @Path("records/{id}")
    @RequiresScope(WRITE)
    @Operation(summary = "Replace a record's fields",
            description = "Names the version it replaces: 409 when another change came first (with the current"
                    + " version), so no change is lost")
    public RecordViews.Record update(@PathParam("id") String id, @NotNull @Valid RecordRequests.Update request) {
        UUID recordId = parse(id);
        RecordViews.Record current = store.find(recordId).orElseThrow(() -> ProblemException.notFound("record", id));
        check(current.type(), request.fields(), null);
        RecordStore.Change change = store.update(recordId, request.version(), request.fields());
        if (change instanceof RecordStore.Changed changed) {
            return changed.record();
        }
        if (change instanceof RecordStore.Stale stale) {
            throw new ProblemException(ProblemType.CONFLICT, "The record changed since version " + request.version()
                    + "; version " + stale.current() + " is current");
        }
        throw ProblemException.notFound("record", id);
    }

    @DELETE
    @Path("records/{id}")
    @RequiresScope(WRITE)
    @Operation(summary = "Delete a record", description = "204; its history stays")
    public void delete(@PathParam("id") String id) {
        store.delete(parse(id)).orElseThrow(() -> ProblemException.notFound("record", id));
    }

    @GET
    @Path("records/{id}/history")
    @RequiresScope(READ)
    @Operation(summary = "A record's versions, oldest first: each change, its fields and who made it")
    public List<RecordViews.Version> history(@PathParam("id") String id) {
        UUID recordId = parse(id);
        store.find(recordId).orElseThrow(() -> ProblemException.notFound("record", id));
        return store.history(recordId);
    }

    @GET
    @Path("record-types")
    @RequiresScope(READ)
    @Operation(summary = "The record types: built in, then the tenant's own")
    public List<RecordViews.RecordType> types() {
        List<RecordViews.RecordType> types = new ArrayList<>();
        BUILT_IN.forEach(name -> types.add(new RecordViews.RecordType(name, JsonValue.EMPTY_JSON_OBJECT, true)));
        types.addAll(store.types());
        return types;
    }

    @PUT
    @Path("record-types/{name}")
    @RequiresScope(WRITE)
    @Operation(summary = "Define or change one of the tenant's record types",
            description = "{schema}: a JSON schema (type, properties, required, enum, minimum, maximum, maxLength,"
                    + " items); records written afterwards must meet it")
    public RecordViews.RecordType defineType(@PathParam("name") String name,
                                             @NotNull @Valid RecordRequests.DefineType request) {
        List<FieldError> problems = new ArrayList<>();
        if (!name.matches("[a-z][a-z0-9_]{0,39}")) {
            problems.add(new FieldError("name", "must be lowercase letters, digits and underscores, starting with a"
                    + " letter, at most 40"));
        } else if (BUILT_IN.contains(name)) {
            problems.add(new FieldError("name", "is a built-in type"));
        }
        problems.addAll(RecordSchema.problems(request.schema(), "schema"));
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "The record type is not valid", problems);
        }
        return store.putType(name, request.schema());
    }

    /** The type must exist; a tenant type's schema must accept the fields. */
    private void check(String type, JsonObject fields, String typeField) {
        if (BUILT_IN.contains(type)) {
            return;
        }
        Optional<RecordViews.RecordType> defined = store.type(type);
        if (defined.isEmpty()) {
            throw ProblemException.invalid(typeField == null ? "type" : typeField, "no such record type; built in"
                    + " are " + BUILT_IN + ", and the tenant's own from PUT /api/v1/record-types/{name}");
        }
        List<FieldError> errors = RecordSchema.check(defined.get().schema(), fields, "fields");
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "The fields do not meet the " + type
                    + " schema", errors);
        }
    }

    /**
     * A filter value as the JSON it stands for: a whole number-looking text is a number, true and false are
     * booleans, anything else is text (a record id such as {@code 12e4...} must stay text).
     */
    static JsonValue literal(String value) {
        if (NUMBER.matcher(value).matches()) {
            return Json.createValue(new java.math.BigDecimal(value));
        }
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value) ? JsonValue.TRUE : JsonValue.FALSE;
        }
        return Json.createValue(value);
    }

    private static UUID parse(String id) {
        return Ids.fromPath("record", id);
    }
}
