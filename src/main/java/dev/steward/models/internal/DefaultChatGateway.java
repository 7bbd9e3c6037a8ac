package dev.steward.models.internal;

import dev.langchain4j.exception.HttpException;
import dev.steward.billing.api.UsageEvent;
import dev.steward.models.api.ChatGateway;
import dev.steward.models.api.ModelCatalog;
import dev.steward.quota.api.SpendLedger;
import dev.steward.shared.InternalAddresses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The gateway: the built-in model, or an OpenAI, OpenAI-compatible, Ollama or Anthropic account through LangChain4j
 * (streamed when the caller takes deltas), with personal data masked on the way out (text, tool arguments and
 * results) and restored on the way back (in streamed deltas too), every call metered (a usage event, its cost added
 * to the month's spend), bounded retries and a circuit per account, and the agent's fallback models tried in order
 * when a provider fails. A stream that breaks after its first delta is not retried; the fallback's answer then
 * follows what the failed one had streamed (the turn's answer is the fallback's alone).
 */
@ApplicationScoped
class DefaultChatGateway implements ChatGateway {

    @Inject
    ModelStore store;

    @Inject
    Metering metering;

    @Inject
    SpendLedger spend;

    @Inject
    ProviderCalls calls;

    @Inject
    Circuits circuits;

    @Inject
    MaskingPatternStore patterns;

    @Inject
    @ConfigProperty(name = "steward.models.allow-private", defaultValue = "false")
    boolean allowPrivate;

    @Override
    public ChatResult chat(ChatRequest request) throws ModelCallFailed {
        ModelCallFailed first = null;
        for (String model : chain(request)) {
            try {
                return call(model, request);
            } catch (ModelCallFailed e) {
                // The agent's own model decides what the caller hears; a fallback only helps when a provider failed.
                if (first == null && e.failure() != Failure.PROVIDER_FAILED) {
                    throw e;
                }
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    private static List<String> chain(ChatRequest request) {
        List<String> chain = new ArrayList<>();
        chain.add(request.model());
        request.fallbackModels().stream().filter(model -> !chain.contains(model)).forEach(chain::add);
        return chain;
    }

    private ChatResult call(String model, ChatRequest request) throws ModelCallFailed {
        long started = System.nanoTime();
        if (ModelCatalog.SCRIPTED.equals(model)) {
            ModelReply reply = ScriptedModel.reply(request.messages(), request.tools());
            if (request.onDelta() != null) {
                ScriptedModel.deltas(reply.text()).forEach(request.onDelta());
            }
            ChatResult result = result(model, reply, reply.text(), reply.toolCalls(), BigDecimal.ZERO, Map.of(),
                    started);
            metering.record(event(model, "steward", request.context(), result, true));
            return result;
        }
        ModelStore.Binding binding = binding(model);
        // One conversation per call, so a value gets one placeholder across all its messages.
        PiiMasker.Conversation masking = new PiiMasker(patterns.compiled()).conversation();
        List<ChatMessage> outgoing;
        try {
            outgoing = request.messages().stream().map(message -> mask(masking, message)).toList();
        } catch (PiiMasker.PatternTooSlow e) {
            throw new ModelCallFailed(e.getMessage(), Failure.REFUSED, e);
        }
        String provider = binding.providerType();
        String account = binding.account();
        if (!circuits.allows(account)) {
            throw new ModelCallFailed("The provider account of '" + model + "' failed repeatedly; its circuit is"
                    + " open for now", Failure.PROVIDER_FAILED, null);
        }
        ModelReply reply;
        UnaryOperator<String> restore = request.restoreMasked() ? masking::restore : UnaryOperator.identity();
        StreamedRestore streamed = request.onDelta() == null ? null
                : new StreamedRestore(restore, request.onDelta());
        try {
            reply = calls.chat(binding, outgoing, request.tools(), streamed);
            circuits.succeeded(account);
        } catch (ProviderCalls.Retryable | RuntimeException e) {
            circuits.failed(account);
            ChatResult failed = result(model, ModelReply.NONE, "", List.of(), BigDecimal.ZERO, masking.counts(),
                    started);
            metering.record(event(model, provider, request.context(), failed, false));
            // The provider's answer is not passed on: it may echo what it was sent, or come from somewhere else.
            throw new ModelCallFailed("The provider of '" + model + "' failed (" + describe(e) + ")",
                    Failure.PROVIDER_FAILED, e);
        }
        String text = restore.apply(reply.text());
        if (streamed != null) {
            streamed.finish();
        }
        List<ToolCall> toolCalls = reply.toolCalls().stream()
                .map(call -> new ToolCall(call.id(), call.name(), masking.restore(call.argumentsJson()))).toList();
        ChatResult result = result(model, reply, text, toolCalls,
                Metering.cost(binding, reply.inputTokens(), reply.outputTokens(), reply.cachedTokens()),
                masking.counts(), started);
        metering.record(event(model, provider, request.context(), result, true));
        return result;
    }

    /** The tenant's model, if it may be called now. */
    ModelStore.Binding binding(String model) throws ModelCallFailed {
        Optional<ModelStore.Binding> binding;
        try {
            binding = store.binding(model);
        } catch (IllegalStateException e) {
            throw new ModelCallFailed(e.getMessage(), Failure.REFUSED, e);
        }
        if (binding.isEmpty()) {
            throw new ModelCallFailed("No model named '" + model + "'", Failure.UNKNOWN_MODEL, null);
        }
        if (spend.budgetSpent()) {
            throw new ModelCallFailed("The tenant's monthly budget is spent", Failure.BUDGET_SPENT, null);
        }
        Optional<String> refused = addressRefusal(binding.get());
        if (refused.isPresent()) {
            throw new ModelCallFailed(refused.get(), Failure.REFUSED, null);
        }
        if (ProviderCalls.client(binding.get().providerType()).isEmpty()) {
            throw new ModelCallFailed("Calls to " + binding.get().providerType() + " accounts are not supported"
                    + " yet; " + String.join(", ", new TreeSet<>(ProviderCalls.CLIENTS.keySet())) + " accounts are",
                    Failure.REFUSED, null);
        }
        return binding.get();
    }

    /** Text, tool arguments and tool results all leave the platform, so all are masked. */
    private static ChatMessage mask(PiiMasker.Conversation masking, ChatMessage message) {
        List<ToolCall> calls = message.toolCalls().stream()
                .map(call -> new ToolCall(call.id(), call.name(), masking.mask(call.argumentsJson()))).toList();
        return new ChatMessage(message.role(), masking.mask(message.text()), calls, message.toolCallId(),
                message.toolName());
    }

    /**
     * A provider account's address must not be this machine or a private network unless the operator allows it
     * ({@code STEWARD_MODELS_ALLOW_PRIVATE}, for self-hosted models): no reaching inside through a base URL.
     */
    private Optional<String> addressRefusal(ModelStore.Binding binding) {
        if (allowPrivate) {
            return Optional.empty();
        }
        String host = URI.create(ProviderCalls.baseUrl(binding)).getHost();
        try {
            return InternalAddresses.resolvesInside(host) ? Optional.of("The provider account's host " + host
                    + " is a private address (STEWARD_MODELS_ALLOW_PRIVATE allows it)") : Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.of("The provider account's host " + host + " does not resolve");
        }
    }

    static String describe(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException http) {
                return "HTTP " + http.statusCode();
            }
        }
        return error.getClass().getSimpleName();
    }

    private static UsageEvent event(String model, String provider, CallContext context, ChatResult result,
                                    boolean succeeded) {
        return new UsageEvent(model, provider, context.agentId(), context.agentVersion(), context.sessionId(),
                result.inputTokens(), result.outputTokens(), result.cachedTokens(), result.latencyMillis(),
                result.cost(), succeeded);
    }

    private static ChatResult result(String model, ModelReply reply, String text, List<ToolCall> toolCalls,
                                     BigDecimal cost, Map<String, Integer> masked, long started) {
        return new ChatResult(model, text, toolCalls, reply.inputTokens(), reply.outputTokens(),
                reply.cachedTokens(), cost, Map.copyOf(masked), (System.nanoTime() - started) / 1_000_000);
    }
}
