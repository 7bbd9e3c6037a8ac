package dev.steward.sessions.internal;

import dev.steward.agents.api.AgentDefinition;
import dev.steward.agents.api.AgentDirectory;
import dev.steward.sessions.api.Conversations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link Conversations} over sessions: a session per request, its history seeded, its turn followed through the
 * session's events. A turn that stops to wait for a person's approval ends the conversation here: a client that
 * holds its own history has no way to approve.
 */
@ApplicationScoped
class DefaultConversations implements Conversations {

    private static final int EVENTS_PER_LOOK = 500;

    @Inject
    AgentDirectory agents;

    @Inject
    SessionService sessions;

    @Inject
    EventLog events;

    @Inject
    TurnLookup lookup;

    @Override
    public Optional<Opened> open(String agentName, List<Exchange> history, String input) {
        return agents.named(agentName).map(agent -> {
            SessionService.Accepted accepted = sessions.openWithHistory(agent.id(), history, input).orThrow();
            return new Opened(accepted.turn().sessionId(), accepted.turn().id(), agent.name());
        });
    }

    @Override
    public Progress progress(UUID sessionId, UUID turnId, long afterSeq) {
        List<String> deltas = new ArrayList<>();
        long last = afterSeq;
        for (SessionEvent event : events.after(sessionId, afterSeq, EVENTS_PER_LOOK)) {
            last = event.seq();
            if (!turnId.equals(event.turnId())) {
                continue;
            }
            switch (event.type()) {
                case "token" -> deltas.add(event.data().getString("delta"));
                case "turn.completed" -> {
                    return new Progress(deltas, last, new Ending(event.data().getString("answer"), null, false,
                            event.data().getJsonNumber("inputTokens").longValue(),
                            event.data().getJsonNumber("outputTokens").longValue()));
                }
                case "turn.failed" -> {
                    return new Progress(deltas, last, new Ending(null, event.data().getString("error"), false, 0,
                            0));
                }
                case "confirmation.requested" -> {
                    return new Progress(deltas, last, new Ending(null, "The agent's call of "
                            + event.data().getString("tool", "a tool") + " waits for a person's approval (session "
                            + sessionId + ")", true, 0, 0));
                }
                default -> {
                }
            }
        }
        return new Progress(deltas, last, null);
    }

    @Override
    public void end(UUID sessionId) {
        sessions.end(sessionId);
    }

    @Override
    public Optional<Opened> resume(UUID sessionId, String agentName, String input) {
        Optional<AgentDefinition> agent = agents.named(agentName);
        Optional<AgentSession> session = agent.flatMap(found -> lookup.session(sessionId)
                .filter(existing -> existing.agentId().equals(found.id())));
        if (session.isEmpty()) {
            return Optional.empty();
        }
        SessionService.Accepted accepted = sessions.send(sessionId, input).orThrow();
        return Optional.of(new Opened(sessionId, accepted.turn().id(), agent.get().name()));
    }

    @Override
    public Optional<TurnStatus> status(UUID turnId, String agentName) {
        return agents.named(agentName).flatMap(agent -> lookup.turnOf(agent.id(), turnId))
                .map(turn -> new TurnStatus(turn.sessionId(), turn.id(), turn.input(), turn.state().wireName(),
                        turn.answer(), turn.error(), turn.updatedAt()));
    }

    @Override
    public boolean cancel(TurnStatus turn) {
        return sessions.cancel(turn.sessionId(), turn.turnId());
    }
}
