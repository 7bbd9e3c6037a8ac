package dev.steward.tools.api;

import java.time.Duration;

/**
 * A tool as a model and the turn loop see it: its name, what it does, its arguments as a JSON schema (JSON text),
 * what kind of effect it has, how long a call may take, and whether a call waits for a person's approval first
 * (writes and sends do).
 */
public record ToolDescriptor(String name, String description, String parametersSchema, SideEffect sideEffect,
                             Duration timeout) {

    public enum SideEffect { READ, WRITE, SEND }

    public boolean requiresConfirmation() {
        return sideEffect != SideEffect.READ;
    }
}
