package dev.steward.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.models.api.ChatGateway.ChatMessage;
import dev.steward.models.api.ChatGateway.Role;
import dev.steward.models.api.ChatGateway.ToolCall;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The turn's state machine refuses what it does not list, in one place; a turn's steps know what is still open. */
class TurnStateTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void aTurnGoesFromReceivedToDoneThroughTheListedMoves() {
        Turn turn = newTurn();
        for (TurnState next : List.of(TurnState.PLANNING, TurnState.CALLING_MODEL, TurnState.CALLING_TOOL,
                TurnState.AWAITING_CONFIRMATION, TurnState.CALLING_TOOL, TurnState.POLLING, TurnState.CALLING_MODEL,
                TurnState.RESPONDING)) {
            turn.moveTo(next, NOW);
        }
        turn.complete("answer", NOW);
        assertThat(turn.state()).isEqualTo(TurnState.DONE);
        assertThat(turn.finishedAt()).isEqualTo(NOW);
    }

    @Test
    void aVoiceTurnIsTranscribedBeforePlanningAndSpokenBeforeItIsDone() {
        Turn turn = newTurn();
        turn.moveTo(TurnState.TRANSCRIBING, NOW);
        assertThat(TurnState.TRANSCRIBING.canMoveTo(TurnState.CALLING_MODEL)).isFalse();
        turn.heard("what time is it");
        turn.moveTo(TurnState.PLANNING, NOW);
        turn.moveTo(TurnState.CALLING_MODEL, NOW);
        turn.moveTo(TurnState.RESPONDING, NOW);
        turn.speak("It is noon", NOW);
        assertThat(turn.state()).isEqualTo(TurnState.SPEAKING);
        assertThat(turn.answer()).isEqualTo("It is noon");
        assertThat(turn.finishedAt()).isNull();
        turn.complete(turn.answer(), NOW);
        assertThat(turn.input()).isEqualTo("what time is it");
        assertThat(turn.state()).isEqualTo(TurnState.DONE);
        // Only a turn being transcribed takes a transcript.
        assertThatThrownBy(() -> newTurn().heard("late")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void illegalMovesAreRefusedAndLeaveTheTurnAsItWas() {
        Turn turn = newTurn();
        assertThatThrownBy(() -> turn.moveTo(TurnState.RESPONDING, NOW))
                .isInstanceOf(Turn.IllegalTurnTransition.class).hasMessageContaining("received to responding");
        assertThat(turn.state()).isEqualTo(TurnState.RECEIVED);
        turn.fail("interrupted", NOW);
        for (TurnState next : TurnState.values()) {
            assertThatThrownBy(() -> turn.moveTo(next, NOW)).isInstanceOf(Turn.IllegalTurnTransition.class);
        }
        assertThat(turn.error()).isEqualTo("interrupted");
    }

    @Test
    void everyStateCanFailAndOnlyFinishedStatesAreFinal() {
        for (TurnState state : TurnState.values()) {
            assertThat(state.canMoveTo(TurnState.FAILED)).isEqualTo(!state.finished());
        }
    }

    @Test
    void openCallsAreTheLastModelMessagesCallsWithoutResults() {
        ToolCall first = new ToolCall("1", "save_note", "{}");
        ToolCall second = new ToolCall("2", "current_time", "{}");
        List<ChatMessage> steps = List.of(new ChatMessage(Role.ASSISTANT, "", List.of(first, second), null, null),
                ChatMessage.toolResult(first, "Saved note 1"));
        assertThat(Steps.open(steps)).containsExactly(second);
        assertThat(Steps.open(Steps.parse(Steps.render(steps)))).containsExactly(second);
        assertThat(Steps.open(Steps.with(steps, ChatMessage.toolResult(second, "now")))).isEmpty();
    }

    private static Turn newTurn() {
        AgentSession session = new AgentSession(UUID.randomUUID(), UUID.randomUUID(), 1, Duration.ofHours(1), NOW);
        return new Turn(session, session.nextTurnNumber(), "hello", NOW);
    }
}
