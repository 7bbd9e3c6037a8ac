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
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The gateway as far as it goes today: the built-in model, or an OpenAI / OpenAI-compatible account through
 * LangChain4j, with personal data masked on the way out and restored on the way back, and every call metered (a
 * usage event, its cost added to the month's spend). Fault tolerance, the other provider types and rate limits
 * come with the next slices.
 */
@ApplicationScoped
class DefaultChatGateway implements ChatGateway {

    private static final List<String> OPENAI_WIRE = List.of("openai", "openai-compatible");

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
    @ConfigProperty(name = "steward.models.allow-private", defaultValue = "false")
    boolean allowPrivate;

    @Override
    public ChatResult chat(String model, List<ChatMessage> messages) throws ModelCallFailed {
        long started = System.nanoTime();
        if (ModelCatalog.SCRIPTED.equals(model)) {
            ModelReply reply = ScriptedModel.reply(messages);
            ChatResult result = result(model, reply, reply.text(), Map.of(), started);
            metering.record(event(model, "steward", result, BigDecimal.ZERO, true));
            return result;
        }
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
        if (!OPENAI_WIRE.contains(binding.get().providerType())) {
            throw new ModelCallFailed("Calls to " + binding.get().providerType() + " accounts are not supported"
                    + " yet; openai and openai-compatible accounts are", Failure.REFUSED, null);
        }
        // One conversation per call, so a value gets one placeholder across all its messages.
        PiiMasker.Conversation masking = new PiiMasker(List.of()).conversation();
        List<ChatMessage> outgoing = messages.stream()
                .map(message -> new ChatMessage(message.role(), masking.mask(message.text()))).toList();
        ModelReply reply;
        String provider = binding.get().providerType();
        String account = binding.get().account();
        if (!circuits.allows(account)) {
            throw new ModelCallFailed("The provider account of '" + model + "' failed repeatedly; its circuit is"
                    + " open for now", Failure.PROVIDER_FAILED, null);
        }
        try {
            reply = calls.chat(binding.get(), outgoing);
            circuits.succeeded(account);
        } catch (ProviderCalls.Retryable | RuntimeException e) {
            circuits.failed(account);
            ChatResult failed = result(model, new ModelReply("", 0, 0), "", masking.counts(), started);
            metering.record(event(model, provider, failed, BigDecimal.ZERO, false));
            // The provider's answer is not passed on: it may echo what it was sent, or come from somewhere else.
            throw new ModelCallFailed("The provider of '" + model + "' failed (" + describe(e) + ")",
                    Failure.PROVIDER_FAILED, e);
        }
        ChatResult result = result(model, reply, masking.restore(reply.text()), masking.counts(), started);
        metering.record(event(model, provider, result,
                Metering.cost(binding.get(), reply.inputTokens(), reply.outputTokens()), true));
        return result;
    }

    /**
     * A provider account's address must not be this machine or a private network unless the operator allows it
     * ({@code STEWARD_MODELS_ALLOW_PRIVATE}, for self-hosted models): no reaching inside through a base URL.
     */
    private Optional<String> addressRefusal(ModelStore.Binding binding) {
        if (allowPrivate) {
            return Optional.empty();
        }
        String host = URI.create(binding.baseUrl() == null ? OpenAiCompatibleClient.OPENAI : binding.baseUrl())
                .getHost();
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (InternalAddresses.isInternal(address)) {
                    return Optional.of("The provider account's host " + host + " is a private address"
                            + " (STEWARD_MODELS_ALLOW_PRIVATE allows it)");
                }
            }
            return Optional.empty();
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

    private static UsageEvent event(String model, String provider, ChatResult result, BigDecimal cost,
                                    boolean succeeded) {
        return new UsageEvent(model, provider, null, null, null, result.inputTokens(), result.outputTokens(), 0,
                result.latencyMillis(), cost, succeeded);
    }

    private static ChatResult result(String model, ModelReply reply, String text, Map<String, Integer> masked,
                                     long started) {
        return new ChatResult(model, text, reply.inputTokens(), reply.outputTokens(), Map.copyOf(masked),
                (System.nanoTime() - started) / 1_000_000);
    }
}
