package dev.steward.models.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.models.api.ChatGateway.ChatMessage;
import dev.steward.models.api.ChatGateway.Role;
import dev.steward.models.api.ChatGateway.ToolCall;
import dev.steward.models.api.ChatGateway.ToolSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in model's rules: echo with memory, tool calls only for offered tools, tool results reported. */
class ScriptedModelTest {

    private static final ToolSpec NOTE = new ToolSpec("save_note", "Saves a note", "{\"type\":\"object\"}");

    @Test
    void itAsksForAnOfferedToolWithTheArgumentsGiven() {
        ModelReply reply = ScriptedModel.reply(List.of(new ChatMessage(Role.USER,
                "please call save_note {\"text\": \"milk\"}")), List.of(NOTE));
        assertThat(reply.toolCalls()).containsExactly(new ToolCall("call_1", "save_note", "{\"text\": \"milk\"}"));
        assertThat(reply.text()).isEmpty();
    }

    @Test
    void aToolItWasNotOfferedIsNeverCalled() {
        ModelReply reply = ScriptedModel.reply(List.of(new ChatMessage(Role.USER, "call save_note")), List.of());
        assertThat(reply.toolCalls()).isEmpty();
        assertThat(reply.text()).isEqualTo("You said: call save_note");
    }

    @Test
    void toolResultsAreReportedAndTokensCounted() {
        ToolCall call = new ToolCall("call_1", "save_note", "{}");
        ModelReply reply = ScriptedModel.reply(List.of(new ChatMessage(Role.USER, "call save_note"),
                new ChatMessage(Role.ASSISTANT, "", List.of(call), null, null),
                ChatMessage.toolResult(call, "Saved note 7")), List.of(NOTE));
        assertThat(reply.text()).isEqualTo("Tool save_note answered: Saved note 7");
        assertThat(reply.inputTokens()).isEqualTo(2 + 1 + 3);
        assertThat(reply.outputTokens()).isEqualTo(6);
    }

    @Test
    void deltasJoinToTheText() {
        assertThat(String.join("", ScriptedModel.deltas("You said:  two  words "))).isEqualTo("You said:  two  words ");
        assertThat(ScriptedModel.deltas("a b")).containsExactly("a ", "b");
    }

    @Test
    void aProposalTemplateIsFilledFromTheContextInTheLastUserMessage() {
        ModelReply reply = ScriptedModel.reply(List.of(
                new ChatMessage(Role.SYSTEM, "Qualify leads. Propose: {\"record\": \"{{record.id}}\", \"note\":"
                        + " \"{{record.fields.name}} {{record.fields.missing}}\", \"n\": {{record.version}}}"),
                new ChatMessage(Role.USER, "{\"record\": {\"id\": \"r-1\", \"version\": 3,"
                        + " \"fields\": {\"name\": \"Ada \\\"the first\\\"\"}}}")), List.of());
        assertThat(reply.text()).isEqualTo("{\"record\": \"r-1\", \"note\": \"Ada \\\"the first\\\" \", \"n\": 3}");
    }

    @Test
    void aQuestionItWasToldAboutBecomesItsCannedToolCall() {
        ToolSpec sql = new ToolSpec("sql_query", "Reads", "{\"type\":\"object\"}");
        ChatMessage system = new ChatMessage(Role.SYSTEM, "You answer questions.\n"
                + "When asked about leads by status: call sql_query {\"sql\": \"SELECT 1\"}\n"
                + "When asked about cost: call sql_query {\"sql\": \"SELECT 2\"}");
        ModelReply reply = ScriptedModel.reply(List.of(system, new ChatMessage(Role.USER,
                "How many Leads By Status do we have?")), List.of(sql));
        assertThat(reply.toolCalls()).containsExactly(new ToolCall("call_1", "sql_query", "{\"sql\": \"SELECT 1\"}"));
        assertThat(ScriptedModel.reply(List.of(system, new ChatMessage(Role.USER, "what is the weather")),
                List.of(sql)).text()).isEqualTo("You said: what is the weather");
    }
}
