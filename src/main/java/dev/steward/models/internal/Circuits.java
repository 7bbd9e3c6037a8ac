package dev.steward.models.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A circuit breaker per provider account on this node: after {@code failures} failed calls in a row the account is
 * not called for {@code openSeconds}; then calls are let through again, and the next outcome closes the circuit or
 * opens it anew. Per account, because one tenant's broken key or one provider's outage must not stop calls to the
 * others (MicroProfile's breaker is per method).
 */
@ApplicationScoped
class Circuits {

    @Inject
    @ConfigProperty(name = "steward.models.circuit-failures", defaultValue = "5")
    int failures;

    @Inject
    @ConfigProperty(name = "steward.models.circuit-open-seconds", defaultValue = "30")
    long openSeconds;

    private record State(int failedInARow, long openUntilNanos) {
    }

    private final Map<String, State> accounts = new ConcurrentHashMap<>();

    /** Whether the account may be called now (closed, or open long enough to be tried again). */
    boolean allows(String account) {
        State state = accounts.get(account);
        return state == null || state.failedInARow() < failures || System.nanoTime() - state.openUntilNanos() >= 0;
    }

    void succeeded(String account) {
        accounts.remove(account);
    }

    void failed(String account) {
        accounts.compute(account, (key, state) -> {
            int inARow = state == null ? 1 : state.failedInARow() + 1;
            long openUntil = inARow >= failures ? System.nanoTime() + Duration.ofSeconds(openSeconds).toNanos() : 0;
            return new State(inARow, openUntil);
        });
    }
}
