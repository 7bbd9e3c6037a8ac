package dev.steward.models.api;

import java.util.List;

/**
 * The one path for model calls: the tenant in scope's model (the built-in {@link ModelCatalog#SCRIPTED} or one it
 * registered), personal data masked before the prompt leaves the platform and restored in the reply, tokens
 * counted. Must be called outside a transaction (it reads the model, then waits on the provider without holding
 * a connection).
 */
public interface ChatGateway {

    ChatResult chat(String model, List<ChatMessage> messages) throws ModelCallFailed;

    /** One message of a conversation. */
    record ChatMessage(Role role, String text) {
    }

    enum Role { SYSTEM, USER, ASSISTANT }

    /** The reply, the tokens the provider counted, what was masked (kind and count), and how long the call took. */
    record ChatResult(String model, String text, int inputTokens, int outputTokens,
                      java.util.Map<String, Integer> masked, long latencyMillis) {
    }

    /** Why a call did not happen or did not succeed. */
    enum Failure { UNKNOWN_MODEL, BUDGET_SPENT, REFUSED, PROVIDER_FAILED }

    /** A call that failed, and why; the message never carries what the provider answered. */
    class ModelCallFailed extends Exception {

        private final Failure failure;

        public ModelCallFailed(String message, Failure failure, Throwable cause) {
            super(message, cause);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }
}
