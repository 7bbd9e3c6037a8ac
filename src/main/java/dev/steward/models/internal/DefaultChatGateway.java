package dev.steward.models.internal;

import dev.steward.billing.api.UsageEvent;
import dev.steward.models.api.ChatGateway;
import dev.steward.models.api.ModelCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
            throw new ModelCallFailed(e.getMessage(), false, e);
        }
        if (binding.isEmpty()) {
            throw new ModelCallFailed("No model named '" + model + "'", true, null);
        }
        if (!OPENAI_WIRE.contains(binding.get().providerType())) {
            throw new ModelCallFailed("Calls to " + binding.get().providerType() + " accounts are not supported"
                    + " yet; openai and openai-compatible accounts are", false, null);
        }
        // One conversation per call, so a value gets one placeholder across all its messages.
        PiiMasker.Conversation masking = new PiiMasker(List.of()).conversation();
        List<ChatMessage> outgoing = messages.stream()
                .map(message -> new ChatMessage(message.role(), masking.mask(message.text()))).toList();
        ModelReply reply;
        String provider = binding.get().providerType();
        try {
            reply = OpenAiCompatibleClient.chat(binding.get(), outgoing);
        } catch (RuntimeException e) {
            ChatResult failed = result(model, new ModelReply("", 0, 0), "", masking.counts(), started);
            metering.record(event(model, provider, failed, BigDecimal.ZERO, false));
            throw new ModelCallFailed("The provider of '" + model + "' failed: " + e.getMessage(), false, e);
        }
        ChatResult result = result(model, reply, masking.restore(reply.text()), masking.counts(), started);
        metering.record(event(model, provider, result,
                Metering.cost(binding.get(), reply.inputTokens(), reply.outputTokens()), true));
        return result;
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
