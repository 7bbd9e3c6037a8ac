/**
 * Sessions: multi-turn conversations with one agent version. Each turn runs as a queued job through a persisted
 * state machine; its progress and answer are events, streamed over SSE and resumable by sequence number; writes
 * wait for a person's confirmation; idle sessions are evicted by a timer.
 */
@ApplicationModule(dependsOn = {"tenancy", "agents", "dispatch", "models", "tools", "audit"})
package dev.steward.sessions;

import dev.steward.shared.ApplicationModule;
