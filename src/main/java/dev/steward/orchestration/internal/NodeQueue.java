package dev.steward.orchestration.internal;

import dev.steward.agents.api.AgentDefinition;
import dev.steward.agents.api.AgentDirectory;
import dev.steward.dispatch.api.JobQueue;
import dev.steward.dispatch.api.Priority;
import dev.steward.models.api.ModelCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.transaction.Transactional;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Puts a node's step on the queue at the workflow's priority, with the node's own attempts. An agent node declares
 * its agent and the agent's model's provider account, so the tenant's limits hold it back before it runs. Each step
 * has an idempotency key, so asking twice queues it once.
 */
@ApplicationScoped
class NodeQueue {

    static final String KIND = "workflow.node";

    @Inject
    JobQueue queue;

    @Inject
    AgentDirectory agents;

    @Inject
    ModelCatalog models;

    /** The job's payload: the run and the node. */
    record Payload(UUID run, String node) {

        String json() {
            return Json.createObjectBuilder().add("run", run.toString()).add("node", node).build().toString();
        }

        static Payload parse(String json) {
            try (JsonReader reader = Json.createReader(new StringReader(json))) {
                JsonObject payload = reader.readObject();
                return new Payload(UUID.fromString(payload.getString("run")), payload.getString("node"));
            }
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void submit(RunStore.Run run, WorkflowDefinition workflow, WorkflowDefinition.Node node, Instant runAt,
                String step) {
        Optional<AgentDefinition> agent = node.kind().equals("agent") ? specialist(node) : Optional.empty();
        List<String> resources = agent.map(AgentDefinition::model).flatMap(models::providerAccount)
                .map(account -> List.of("provider:" + account)).orElse(List.of());
        queue.submit(new JobQueue.Request(KIND, Priority.valueOf(workflow.priority()),
                new Payload(run.id(), node.id()).json(), runAt, "node-" + run.id() + "-" + node.id() + "-" + step,
                agent.map(AgentDefinition::id).orElse(null), resources, 0, node.attempts()));
    }

    /** The agent an agent node calls: the one it names, or the one capability discovery finds. */
    Optional<AgentDefinition> specialist(WorkflowDefinition.Node node) {
        String named = node.spec().getString("agent", null);
        return named != null ? agents.named(named) : agents.withCapability(node.spec().getString("capability"));
    }
}
