package dev.steward.models.internal;

import dev.steward.models.api.ChatGateway;
import dev.steward.models.api.VoiceGateway;
import dev.steward.models.api.ModelCatalog;
import dev.steward.shared.FieldError;
import dev.steward.shared.Ids;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.tenancy.api.RequiresScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A tenant's provider accounts and priced models. Another tenant's are 404s. */
@ApplicationScoped
@Path("api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "models", description = "Provider accounts (bring your own model) and models with prices")
public class ModelResource {

    static final String READ = "models:read";
    static final String WRITE = "models:write";

    @Inject
    ModelStore store;

    @Inject
    ChatGateway gateway;

    @Inject
    VoiceGateway voice;

    @POST
    @Path("providers")
    @RequiresScope(WRITE)
    @Operation(summary = "Register a provider account", description = "201; its credentials are encrypted and"
            + " never returned; 409 when the name is taken")
    public Response createProvider(@NotNull @Valid ProviderRequest request) {
        if (request.name() == null) {
            throw ProblemException.invalid("name", "is required");
        }
        check(request.problems(true));
        ModelViews.Provider created = store.createProvider(request).orElseThrow(() -> new ProblemException(
                ProblemType.CONFLICT, "A provider account named '" + request.name() + "' exists already"));
        return Response.created(UriBuilder.fromPath("/api/v1/providers/{id}").build(created.id()))
                .entity(created).build();
    }

    @GET
    @Path("providers")
    @RequiresScope(READ)
    @Operation(summary = "The tenant's provider accounts")
    public List<ModelViews.Provider> providers() {
        return store.providers();
    }

    @GET
    @Path("providers/{id}")
    @RequiresScope(READ)
    @Operation(summary = "One provider account")
    public ModelViews.Provider provider(@PathParam("id") String id) {
        return store.provider(parse(id)).orElseThrow(() -> ProblemException.notFound("provider account", id));
    }

    @PUT
    @Path("providers/{id}")
    @RequiresScope(WRITE)
    @Operation(summary = "Change a provider account", description = "Credentials are replaced (rotated) only when"
            + " given; the name is fixed")
    public ModelViews.Provider updateProvider(@PathParam("id") String id, @NotNull @Valid ProviderRequest request) {
        ModelViews.Provider current = provider(id);
        if (request.name() != null && !request.name().equals(current.name())) {
            throw new ProblemException(ProblemType.CONFLICT, "A provider account's name is fixed; this one is '"
                    + current.name() + "'");
        }
        // Credentials stay with the address and type they were given for: a changed type or base URL needs them
        // given again (stored ones are dropped), so a key cannot be redirected to another host.
        boolean moved = !request.type().equals(current.type())
                || !Objects.equals(request.baseUrl(), current.baseUrl());
        check(request.problems(moved));
        return store.updateProvider(parse(id), request, moved)
                .orElseThrow(() -> ProblemException.notFound("provider account", id));
    }

    @DELETE
    @Path("providers/{id}")
    @RequiresScope(WRITE)
    @Operation(summary = "Delete a provider account", description = "204; 409 while models use it")
    public void deleteProvider(@PathParam("id") String id) {
        switch (store.deleteProvider(parse(id))) {
            case NOT_FOUND -> throw ProblemException.notFound("provider account", id);
            case IN_USE -> throw new ProblemException(ProblemType.CONFLICT,
                    "Models use this provider account; delete them first");
            default -> { }
        }
    }

    @POST
    @Path("models")
    @RequiresScope(WRITE)
    @Operation(summary = "Register a model with its prices", description = "201; prices per million tokens")
    public Response createModel(@NotNull @Valid ModelRequest request) {
        if (ModelCatalog.SCRIPTED.equals(request.name())) {
            throw ProblemException.invalid("name", "is the built-in model's");
        }
        switch (store.createModel(request)) {
            case NOT_FOUND -> throw ProblemException.invalid("provider", "no provider account of that name");
            case CONFLICT -> throw new ProblemException(ProblemType.CONFLICT,
                    "A model named '" + request.name() + "' exists already");
            default -> { }
        }
        return Response.created(UriBuilder.fromPath("/api/v1/models/{name}").build(request.name()))
                .entity(store.model(request.name()).orElseThrow()).build();
    }

    @GET
    @Path("models")
    @RequiresScope(READ)
    @Operation(summary = "The models agents can use", description = "The built-in steward-scripted first")
    public List<ModelViews.Model> models() {
        List<ModelViews.Model> models = new ArrayList<>();
        models.add(ModelViews.Model.SCRIPTED);
        models.addAll(store.models());
        return models;
    }

    @GET
    @Path("models/{name}")
    @RequiresScope(READ)
    @Operation(summary = "One model")
    public ModelViews.Model model(@PathParam("name") String name) {
        if (ModelCatalog.SCRIPTED.equals(name)) {
            return ModelViews.Model.SCRIPTED;
        }
        return store.model(name).orElseThrow(() -> ProblemException.notFound("model", name));
    }

    @POST
    @Path("models/{name}/try")
    @RequiresScope(WRITE)
    @Operation(summary = "Send one prompt to a model through the gateway",
            description = "Checks a provider account and model end to end: personal data is masked before the"
                    + " prompt leaves and restored in the reply; 429 when the monthly budget is spent, 409 when the"
                    + " account cannot be called (private address, unsupported type), 502 when the provider fails")
    public ChatGateway.ChatResult tryModel(@PathParam("name") String name, @NotNull @Valid TryRequest request) {
        List<ChatGateway.ChatMessage> messages = new ArrayList<>();
        if (request.system() != null) {
            messages.add(new ChatGateway.ChatMessage(ChatGateway.Role.SYSTEM, request.system()));
        }
        messages.add(new ChatGateway.ChatMessage(ChatGateway.Role.USER, request.prompt()));
        try {
            return gateway.chat(name, messages);
        } catch (ChatGateway.ModelCallFailed e) {
            throw problem(name, e);
        }
    }

    @POST
    @Path("models/{name}/speech")
    @Produces(MediaType.WILDCARD)
    @RequiresScope(WRITE)
    @Operation(summary = "Speak a text with a model", description = "The audio itself, in the format asked for"
            + " (wav by default; steward-scripted speaks tone WAVs it can transcribe again). Errors as for /try")
    public Response speak(@PathParam("name") String name, @NotNull @Valid SpeechTryRequest request) {
        try {
            VoiceGateway.Speech speech = voice.speak(new VoiceGateway.SpeechRequest(name, request.input(),
                    request.voiceOrDefault(), request.formatOrDefault(), ChatGateway.CallContext.NONE), null);
            return Response.ok(speech.audio(), speech.mediaType()).build();
        } catch (ChatGateway.ModelCallFailed e) {
            throw problem(name, e);
        }
    }

    @POST
    @Path("models/{name}/transcriptions")
    @Consumes("audio/*")
    @RequiresScope(WRITE)
    @Operation(summary = "Transcribe audio with a model", description = "The body is the audio (Content-Type"
            + " audio/wav, audio/mpeg, ...); answers the text. Errors as for /try")
    public VoiceGateway.Transcript transcribe(@PathParam("name") String name,
                                              @HeaderParam("Content-Type") String contentType, byte[] audio) {
        String mediaType = AudioUpload.mediaType(contentType);
        try {
            return voice.transcribe(new VoiceGateway.TranscriptionRequest(name, AudioUpload.nonEmpty(audio),
                    mediaType, ChatGateway.CallContext.NONE));
        } catch (ChatGateway.ModelCallFailed e) {
            throw problem(name, e);
        }
    }

    /** A failed gateway call as the client hears it. */
    private static ProblemException problem(String name, ChatGateway.ModelCallFailed e) {
        return switch (e.failure()) {
            case UNKNOWN_MODEL -> ProblemException.notFound("model", name);
            case BUDGET_SPENT -> new ProblemException(ProblemType.QUOTA_EXCEEDED, e.getMessage());
            case REFUSED -> new ProblemException(ProblemType.CONFLICT, e.getMessage());
            case PROVIDER_FAILED -> new ProblemException(ProblemType.UPSTREAM_FAILED, e.getMessage());
        };
    }

    @DELETE
    @Path("models/{name}")
    @RequiresScope(WRITE)
    @Operation(summary = "Delete a model", description = "204; the built-in model cannot be deleted (409)")
    public void deleteModel(@PathParam("name") String name) {
        if (ModelCatalog.SCRIPTED.equals(name)) {
            throw new ProblemException(ProblemType.CONFLICT, "The built-in model cannot be deleted");
        }
        if (!store.deleteModel(name)) {
            throw ProblemException.notFound("model", name);
        }
    }

    private static void check(List<FieldError> problems) {
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "The provider account is not valid", problems);
        }
    }

    private static UUID parse(String id) {
        return Ids.fromPath("provider account", id);
    }
}
