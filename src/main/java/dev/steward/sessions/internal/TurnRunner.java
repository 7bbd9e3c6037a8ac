package dev.steward.sessions.internal;

import dev.steward.agents.api.AgentDefinition;
import dev.steward.dispatch.api.Job;
import dev.steward.dispatch.api.JobHandler;
import dev.steward.models.api.ChatGateway;
import dev.steward.models.api.ChatGateway.CallContext;
import dev.steward.models.api.ChatGateway.ChatMessage;
import dev.steward.models.api.ChatGateway.ChatRequest;
import dev.steward.models.api.ChatGateway.ChatResult;
import dev.steward.models.api.ChatGateway.Role;
import dev.steward.models.api.ChatGateway.ToolCall;
import dev.steward.models.api.ChatGateway.ToolSpec;
import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.TenantScope;
import dev.steward.tools.api.ToolDescriptor;
import dev.steward.tools.api.ToolOutcome;
import dev.steward.tools.api.Tools;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Runs a turn as a job of kind {@code session.turn}: the ReAct loop. The model (a {@code remote} agent's engine, see
 * {@link RemoteTurn}) is called with the conversation and the agent's granted tools (and no others); each tool call
 * it asks for runs, or waits for a person's confirmation (writes and sends), or is polled with backoff while it
 * answers "pending"; the results go back to the model until it answers in text. A turn that waits (for a confirmation, for a poll) ends the job; it
 * resumes as a new one. Every step is persisted before the next starts, so a job that dies mid-turn is retried from
 * the last step (tool calls carry a key so their effect happens once). A voice turn is transcribed before the loop
 * and spoken after it ({@link VoiceSteps}).
 */
@ApplicationScoped
class TurnRunner implements JobHandler {

    /** Model calls one turn may make before it is stopped, so a model that keeps calling tools cannot loop. */
    static final int MAX_MODEL_CALLS = 10;

    @Inject
    TurnProgress progress;

    @Inject
    AgentVersions agents;

    @Inject
    ChatGateway gateway;

    @Inject
    Tools tools;

    @Inject
    SessionSettings settings;

    @Inject
    RemoteTurn remote;

    @Inject
    VoiceSteps voice;

    @Inject
    TenantScope scope;

    @Resource
    ManagedExecutorService executor;

    @Override
    public String kind() {
        return TurnJobs.KIND;
    }

    @Override
    public int maxAttempts() {
        return 3;
    }

    @Override
    public Duration maxRunTime() {
        return Duration.ofMinutes(5);
    }

    @Override
    public void handle(Job job) throws Exception {
        TurnJobs.Payload payload = TurnJobs.Payload.parse(job.payloadJson());
        Optional<TurnProgress.Work> begun = progress.begin(payload.sessionId(), payload.turnId());
        if (begun.isEmpty()) {
            return;
        }
        TurnProgress.Work work = begun.get();
        Optional<AgentDefinition> agent = agents.version(work.agentId(), work.agentVersion());
        if (agent.isEmpty()) {
            progress.fail(work, "The session's agent version is gone");
            return;
        }
        try {
            if (work.state() == TurnState.TRANSCRIBING) {
                Optional<TurnProgress.Work> heard = voice.transcribe(work, agent.get());
                if (heard.isEmpty()) {
                    return;
                }
                work = heard.get();
            }
            if (work.state() != TurnState.SPEAKING) {
                new Loop(work, agent.get(), job.tenant()).run();
            }
            if (work.voice()) {
                voice.speak(work, agent.get()); // when the loop answered; a turn that waits speaks when it resumes
            }
        } catch (Exception e) {
            // The last attempt fails the turn, so that it never stays unfinished (queued turns wait for it).
            if (job.attempt() >= job.maxAttempts()) {
                boolean interrupted = Thread.interrupted();
                progress.fail(work, e instanceof RemoteEngine.Unavailable ? "The remote agent failed: "
                        + e.getMessage() : "The turn failed (" + e.getClass().getSimpleName() + ")");
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            throw e;
        }
    }

    /** One job's share of a turn. */
    private final class Loop {

        private final TurnProgress.Work work;
        private final TenantId tenant;
        private final AgentDefinition agent;
        private final List<ToolDescriptor> granted;
        private List<ChatMessage> steps;
        /** Where the turn stands as far as this job knows: a move to where it already is needs no transaction. */
        private TurnState state;
        /** What this job's model calls masked, by kind (counts only): told in {@code turn.completed}. */
        private final Map<String, Integer> masked = new TreeMap<>();

        Loop(TurnProgress.Work work, AgentDefinition agent, TenantId tenant) {
            this.work = work;
            this.tenant = tenant;
            this.agent = agent;
            this.granted = tools.resolve(agent.tools());
            this.steps = work.steps();
            this.state = work.state();
        }

        void run() throws InterruptedException, RemoteEngine.Unavailable {
            if (work.state() == TurnState.POLLING && !pollAgain()) {
                return;
            }
            // Counted over the whole turn, across the jobs it takes (resumed after confirmations and polls).
            for (int calls = modelCalls(); calls < MAX_MODEL_CALLS; ) {
                List<ToolCall> open = Steps.open(steps);
                if (open.isEmpty()) {
                    Optional<Boolean> answered = think();
                    if (answered.isEmpty() || answered.get()) {
                        return;
                    }
                    calls++;
                } else if (!runTool(open.get(0))) {
                    return;
                }
            }
            progress.fail(work, "The agent made " + MAX_MODEL_CALLS + " model calls without answering");
        }

        /**
         * Calls the agent's model (a remote agent's engine): empty when the turn stopped or now waits; true when the
         * model answered, false when it asked for tools.
         */
        private Optional<Boolean> think() throws InterruptedException, RemoteEngine.Unavailable {
            if (state != TurnState.CALLING_MODEL && !progress.moveTo(work, TurnState.CALLING_MODEL, List.of())) {
                return Optional.empty();
            }
            state = TurnState.CALLING_MODEL;
            if (agent.kind() == AgentDefinition.Kind.REMOTE) {
                return heard(remote.ask(work, agent, steps, granted, null, 0), 0);
            }
            LiveTokens live = new LiveTokens(batch -> scope.run(tenant, () -> progress.streamed(work, batch)), executor);
            ChatResult result;
            try {
                result = gateway.chat(new ChatRequest(agent.model(), agent.fallbackModels(), conversation(),
                        granted.stream().map(tool -> new ToolSpec(tool.name(), tool.description(),
                                tool.parametersSchema())).toList(),
                        new CallContext(agent.id(), agent.version(), work.sessionId().toString()), live,
                        agent.restorePersonalData()));
            } catch (ChatGateway.ModelCallFailed e) {
                live.rest();
                progress.fail(work, e.getMessage());
                return Optional.empty();
            }
            List<String> deltas = live.rest();
            result.masked().forEach((kind, count) -> masked.merge(kind, count, Integer::sum));
            if (result.toolCalls().isEmpty()) {
                progress.answered(work, new ChatResult(result.model(), result.text(), result.toolCalls(),
                        result.inputTokens(), result.outputTokens(), result.cachedTokens(), result.cost(),
                        Map.copyOf(masked), result.latencyMillis()), deltas);
                return Optional.of(true);
            }
            List<ToolCall> calls = ownIds(result.toolCalls());
            steps = Steps.with(steps, new ChatMessage(Role.ASSISTANT, result.text(), calls, null, null));
            return progress.modelAskedForTools(work, result, calls, steps, deltas) ? Optional.of(false)
                    : Optional.empty();
        }

        /** False when the turn stopped or now waits (for a confirmation, for a long job). */
        private boolean runTool(ToolCall call) {
            Optional<ToolDescriptor> tool = granted.stream().filter(t -> t.name().equals(call.name())).findFirst();
            if (tool.isEmpty()) {
                return answer(call, "The tool " + call.name() + " is not granted to this agent",
                        TurnProgress.ToolVerdict.REFUSED);
            }
            if (agent.callWaitsForApproval(call.name(), tool.get().requiresConfirmation())) {
                Optional<Confirmation.State> decision = progress.decision(work.turnId(), call.id());
                if (decision.isEmpty()) {
                    progress.awaitConfirmation(work, call, settings.confirmationTimeout());
                    return false;
                }
                switch (decision.get()) {
                    case PENDING -> {
                        return false;
                    }
                    case DENIED -> {
                        return answer(call, "The user denied this call", TurnProgress.ToolVerdict.DENIED);
                    }
                    case EXPIRED -> {
                        return answer(call, "Nobody approved this call in time", TurnProgress.ToolVerdict.DENIED);
                    }
                    case APPROVED -> { }
                }
            }
            if (!progress.moveTo(work, TurnState.CALLING_TOOL, List.of())) {
                return false;
            }
            state = TurnState.CALLING_TOOL;
            ToolOutcome outcome = tools.call(call.name(), call.argumentsJson(), work.turnId() + ":" + call.id());
            return settle(call, outcome, 0);
        }

        /** What a remote agent's engine answered, as {@link #think} reports it. */
        private Optional<Boolean> heard(RemoteEngine.Answer answer, int polls) {
            if (answer instanceof RemoteEngine.Output output) {
                progress.answered(work, engineResult(output.text(), List.of()),
                        output.text().isEmpty() ? List.of() : List.of(output.text()), output.state(),
                        output.actions());
                return Optional.of(true);
            }
            if (answer instanceof RemoteEngine.ToolRequests requests) {
                List<ToolCall> calls = ownIds(requests.calls());
                steps = Steps.with(steps, new ChatMessage(Role.ASSISTANT, "", calls, null, null));
                return progress.modelAskedForTools(work, engineResult("", calls), calls, steps, List.of())
                        ? Optional.of(false) : Optional.empty();
            }
            if (answer instanceof RemoteEngine.Pending pending) {
                progress.pending(work, RemoteTurn.ENGINE, new ToolOutcome.Pending(pending.pollToken(),
                        pending.progress(), pending.status(), pending.pollAfter()), steps.size(), polls,
                        settings.pollDelay(polls, pending.pollAfter()));
                return Optional.empty();
            }
            progress.fail(work, ((RemoteEngine.Refused) answer).reason());
            return Optional.empty();
        }

        private int modelCalls() {
            return (int) steps.stream().filter(step -> step.role() == Role.ASSISTANT).count();
        }

        /**
         * The calls under ids Steward gives them ({@code c<round>-<n>}), unique in the turn: confirmations and tool
         * effects are keyed by them, so a model or engine that omits ids or repeats one cannot reuse an approval.
         * The conversation sent back carries the same ids, which is all a provider needs.
         */
        private List<ToolCall> ownIds(List<ToolCall> calls) {
            int round = modelCalls() + 1;
            List<ToolCall> renamed = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                ToolCall call = calls.get(i);
                renamed.add(new ToolCall("c" + round + "-" + (i + 1), call.name(), call.argumentsJson()));
            }
            return renamed;
        }

        private ChatResult engineResult(String text, List<ToolCall> calls) {
            return new ChatResult("remote:" + agent.name(), text, calls, 0, 0, 0, BigDecimal.ZERO, Map.of(), 0);
        }

        /** Polls the long job the turn waits for (a tool's, or the engine's); false when the turn stopped or waits. */
        private boolean pollAgain() throws InterruptedException, RemoteEngine.Unavailable {
            ToolCall call = new ToolCall(work.waitingFor().getString("callId"), work.waitingFor().getString("tool"),
                    work.waitingFor().getString("arguments"));
            int polls = work.waitingFor().getInt("polls") + 1;
            String token = work.waitingFor().getString("pollToken");
            if (call.equals(RemoteTurn.ENGINE)) {
                Optional<Boolean> heard = heard(remote.ask(work, agent, steps, granted, token, polls), polls);
                return heard.isPresent() && !heard.get();
            }
            return settle(call, tools.poll(call.name(), token), polls);
        }

        private boolean settle(ToolCall call, ToolOutcome outcome, int polls) {
            if (outcome instanceof ToolOutcome.Done done) {
                return answer(call, done.result(), TurnProgress.ToolVerdict.CALLED);
            }
            if (outcome instanceof ToolOutcome.Failed failed) {
                return answer(call, failed.error(), TurnProgress.ToolVerdict.FAILED);
            }
            ToolOutcome.Pending pending = (ToolOutcome.Pending) outcome;
            progress.pending(work, call, pending, steps.size(), polls, settings.pollDelay(polls, pending.pollAfter()));
            return false;
        }

        private boolean answer(ToolCall call, String result, TurnProgress.ToolVerdict verdict) {
            steps = Steps.with(steps, ChatMessage.toolResult(call, result));
            return progress.toolAnswered(work, steps, call, result, verdict);
        }

        private List<ChatMessage> conversation() {
            List<ChatMessage> messages = new ArrayList<>();
            if (agent.instructions() != null) {
                messages.add(new ChatMessage(Role.SYSTEM, agent.instructions()));
            }
            messages.addAll(work.history());
            messages.add(new ChatMessage(Role.USER, work.input()));
            messages.addAll(steps);
            return messages;
        }
    }
}
