package dev.steward.tools.api;

import java.time.Duration;

/**
 * What a tool call came to: a result for the model, a failure the model is told about, or "pending": a long job
 * that is polled with its {@code pollToken} after {@code pollAfter}, its progress (0 to 1) and status shown meanwhile.
 */
public sealed interface ToolOutcome {

    record Done(String result) implements ToolOutcome {
    }

    record Failed(String error) implements ToolOutcome {
    }

    record Pending(String pollToken, double progress, String status, Duration pollAfter) implements ToolOutcome {
    }
}
