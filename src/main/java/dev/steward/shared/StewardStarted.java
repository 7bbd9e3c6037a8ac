package dev.steward.shared;

/**
 * Fired (as a CDI event) once the start-up sequence has succeeded: roles, migrations and seed data are in place.
 * Modules start their background work on it, not on application start, when the schema may not exist yet.
 */
public record StewardStarted() {
}
