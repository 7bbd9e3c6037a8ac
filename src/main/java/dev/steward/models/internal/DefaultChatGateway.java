package dev.steward.models.internal;

import dev.steward.models.api.ChatGateway;
import dev.steward.models.api.ModelCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway as far as it goes today: the built-in model, or an OpenAI / OpenAI-compatible account through
 * LangChain4j, with personal data masked on the way out and restored on the way back. Fault tolerance, the other
 * provider types, metering and rate limits come with the next slices.
 */
@ApplicationScoped
class DefaultChatGateway implements ChatGateway {

    private static final List<String> OPENAI_WIRE = List.of("openai", "openai-compatible");

    @Inject
    ModelStore store;

    @Override
    public ChatResult chat(String model, List<ChatMessage> messages) throws ModelCallFailed {
        long started = System.nanoTime();
        if (ModelCatalog.SCRIPTED.equals(model)) {
            ModelReply reply = ScriptedModel.reply(messages);
            return result(model, reply, reply.text(), Map.of(), started);
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
        try {
            reply = OpenAiCompatibleClient.chat(binding.get(), outgoing);
        } catch (RuntimeException e) {
            throw new ModelCallFailed("The provider of '" + model + "' failed: " + e.getMessage(), false, e);
        }
        return result(model, reply, masking.restore(reply.text()), masking.counts(), started);
    }

    private static ChatResult result(String model, ModelReply reply, String text, Map<String, Integer> masked,
                                     long started) {
        return new ChatResult(model, text, reply.inputTokens(), reply.outputTokens(), Map.copyOf(masked),
                (System.nanoTime() - started) / 1_000_000);
    }
}
