package dev.steward.protocols.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.steward.agents.api.AgentDefinition;
import dev.steward.agents.api.AgentDirectory;
import dev.steward.audit.api.AuditEntry;
import dev.steward.audit.api.AuditTrail;
import dev.steward.sessions.api.Conversations;
import dev.steward.shared.CurrentRequest;
import dev.steward.shared.Logs;
import dev.steward.shared.ProblemException;
import dev.steward.shared.TenantId;
import dev.steward.tools.api.ToolDescriptor;
import dev.steward.tools.api.ToolOutcome;
import dev.steward.tools.api.Tools;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.ProtocolVersions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import reactor.core.publisher.Mono;

/**
 * Steward's MCP server, behind the official SDK's stateless Streamable HTTP transport: answers {@code initialize},
 * {@code ping}, {@code tools/list} and {@code tools/call} for the tenant of the request's API key. Its tools are the
 * tenant's agents ({@code agent.<name>}, asked a message through a session, like any turn) and the catalog's read
 * tools ({@code tool.<name>}; writes and sends wait for a person, which an MCP client cannot be). The request's key
 * decides what is listed and what may be called ({@code sessions:write} for agents, {@code tools:write} for tools).
 */
@ApplicationScoped
class McpHandler implements McpStatelessServerHandler {

    static final String AGENT = "agent.";
    static final String TOOL = "tool.";
    static final String TOOLS_SCOPE = "tools:write";
    static final Duration MAX_TOOL_WAIT = Duration.ofSeconds(60);
    private static final List<String> VERSIONS = List.of(ProtocolVersions.MCP_2025_06_18,
            ProtocolVersions.MCP_2025_11_25, ProtocolVersions.MCP_2025_03_26, ProtocolVersions.MCP_2024_11_05);

    @Inject
    AgentDirectory agents;

    @Inject
    Tools tools;

    @Inject
    Conversations conversations;

    @Inject
    TurnFollower follower;

    @Inject
    AuditTrail audit;

    /** PostgreSQL's answers to values it cannot store (a NUL in text, ...): the client's fault, as in the API. */
    private static final Set<String> UNSTORABLE = Set.of("22021", "22P05", "22003", "22P02");

    /**
     * The SDK's JSON mapper, over Jackson; the transport {@link McpEndpoint} builds uses the same. The transport
     * answers its own refusals (a body that is not JSON-RPC, a wrong Accept header, an unknown protocol version) by
     * writing the {@link McpError} exception itself with this mapper: as a plain bean that is its whole stack trace
     * and class names. So an McpError is written as what it stands for, a JSON-RPC error response, and the
     * transport's 500s (whose messages quote exception messages) say no more than that the request failed.
     */
    private final McpJsonMapper json = new NullRefusingJsonMapper(new JacksonMcpJsonMapper(new ObjectMapper()
            .registerModule(new SimpleModule().addSerializer(McpError.class, new JsonRpcErrorSerializer()))));

    McpJsonMapper json() {
        return json;
    }

    @Override
    public Mono<McpSchema.JSONRPCResponse> handleRequest(McpTransportContext context,
                                                        McpSchema.JSONRPCRequest request) {
        return Mono.fromCallable(() -> {
            try {
                return switch (request.method()) {
                    case McpSchema.METHOD_INITIALIZE -> McpSchema.JSONRPCResponse.result(request.id(),
                            initialize(request));
                    case McpSchema.METHOD_PING -> McpSchema.JSONRPCResponse.result(request.id(), Map.of());
                    case McpSchema.METHOD_TOOLS_LIST -> McpSchema.JSONRPCResponse.result(request.id(), list());
                    case McpSchema.METHOD_TOOLS_CALL -> call(request);
                    default -> error(request, McpSchema.ErrorCodes.METHOD_NOT_FOUND,
                            "Steward's MCP server does not offer " + request.method());
                };
            } catch (IllegalArgumentException | NullPointerException wrongShape) {
                // params of the wrong shape (a string, no tool name, arguments that are not an object) are the
                // client's mistake: a JSON-RPC error, not the transport's HTTP 500 quoting the exception.
                return error(request, McpSchema.ErrorCodes.INVALID_PARAMS, "The params do not fit "
                        + request.method());
            } catch (RuntimeException e) {
                if (unstorable(e)) {
                    return error(request, McpSchema.ErrorCodes.INVALID_PARAMS, "A value cannot be stored: text"
                            + " with a NUL character (\\u0000) or a number out of range");
                }
                Logs.of(McpHandler.class).log(Level.SEVERE, "An MCP " + request.method() + " request failed", e);
                return error(request, McpSchema.ErrorCodes.INTERNAL_ERROR, "The request failed; it may be sent"
                        + " again");
            }
        });
    }

    private static McpSchema.JSONRPCResponse error(McpSchema.JSONRPCRequest request, int code, String message) {
        return McpSchema.JSONRPCResponse.error(request.id(), new McpSchema.JSONRPCResponse.JSONRPCError(code,
                message));
    }

    private static boolean unstorable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && UNSTORABLE.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reading {@code null} (the whole body) as no value at all, which the transport then dereferences: an HTTP 500.
     * Refused as unreadable instead, which the transport answers as an invalid message (400).
     */
    private record NullRefusingJsonMapper(McpJsonMapper mapper) implements McpJsonMapper {

        private static <T> T present(T value) throws IOException {
            if (value == null) {
                throw new IOException("null is not a JSON-RPC message");
            }
            return value;
        }

        @Override
        public <T> T readValue(String content, Class<T> type) throws IOException {
            return present(mapper.readValue(content, type));
        }

        @Override
        public <T> T readValue(byte[] content, Class<T> type) throws IOException {
            return present(mapper.readValue(content, type));
        }

        @Override
        public <T> T readValue(String content, TypeRef<T> type) throws IOException {
            return present(mapper.readValue(content, type));
        }

        @Override
        public <T> T readValue(byte[] content, TypeRef<T> type) throws IOException {
            return present(mapper.readValue(content, type));
        }

        @Override
        public <T> T convertValue(Object value, Class<T> type) {
            return mapper.convertValue(value, type);
        }

        @Override
        public <T> T convertValue(Object value, TypeRef<T> type) {
            return mapper.convertValue(value, type);
        }

        @Override
        public String writeValueAsString(Object value) throws IOException {
            return mapper.writeValueAsString(value);
        }

        @Override
        public byte[] writeValueAsBytes(Object value) throws IOException {
            return mapper.writeValueAsBytes(value);
        }
    }

    /** An {@link McpError} as the JSON-RPC error response it stands for, without the exception around it. */
    private static final class JsonRpcErrorSerializer extends StdSerializer<McpError> {

        JsonRpcErrorSerializer() {
            super(McpError.class);
        }

        @Override
        public void serialize(McpError error, JsonGenerator out, SerializerProvider provider) throws IOException {
            McpSchema.JSONRPCResponse.JSONRPCError rpc = error.getJsonRpcError();
            int code = rpc != null && rpc.code() != null ? rpc.code() : McpSchema.ErrorCodes.INTERNAL_ERROR;
            String message = code == McpSchema.ErrorCodes.INTERNAL_ERROR || rpc == null || rpc.message() == null
                    ? "The request failed; it may be sent again" : rpc.message();
            out.writeStartObject();
            out.writeStringField("jsonrpc", McpSchema.JSONRPC_VERSION);
            out.writeNullField("id");
            out.writeObjectFieldStart("error");
            out.writeNumberField("code", code);
            out.writeStringField("message", message);
            out.writeEndObject();
            out.writeEndObject();
        }
    }

    @Override
    public Mono<Void> handleNotification(McpTransportContext context, McpSchema.JSONRPCNotification notification) {
        return Mono.empty();
    }

    private McpSchema.InitializeResult initialize(McpSchema.JSONRPCRequest request) {
        McpSchema.InitializeRequest init = json.convertValue(request.params(),
                new TypeRef<McpSchema.InitializeRequest>() { });
        String version = VERSIONS.contains(init.protocolVersion()) ? init.protocolVersion() : VERSIONS.get(0);
        return new McpSchema.InitializeResult(version, McpSchema.ServerCapabilities.builder().tools(false).build(),
                new McpSchema.Implementation("steward", "Steward", "1"), "The tenant's agents (agent.<name>, asked"
                + " a message) and read tools (tool.<name>)");
    }

    private McpSchema.ListToolsResult list() {
        List<McpSchema.Tool> listed = new ArrayList<>();
        if (CurrentRequest.get().hasScope(ChatCompletionResource.SCOPE)) {
            for (AgentDefinition agent : agents.all()) {
                listed.add(McpSchema.Tool.builder().name(AGENT + agent.name()).title(agent.name())
                        .description("Ask the agent " + agent.name() + (agent.capabilities().isEmpty() ? ""
                                : " (" + String.join(", ", agent.capabilities()) + ")") + "; answers its reply")
                        .inputSchema(Map.of("type", "object", "properties", Map.of("message", Map.of("type",
                                "string", "description", "What to ask")), "required", List.of("message")))
                        .build());
            }
        }
        if (CurrentRequest.get().hasScope(TOOLS_SCOPE)) {
            for (ToolDescriptor tool : readTools()) {
                listed.add(McpSchema.Tool.builder().name(TOOL + tool.name()).description(tool.description())
                        .inputSchema(json, tool.parametersSchema()).build());
            }
        }
        return new McpSchema.ListToolsResult(listed, null);
    }

    private McpSchema.JSONRPCResponse call(McpSchema.JSONRPCRequest request) throws IOException {
        McpSchema.CallToolRequest call = json.convertValue(request.params(),
                new TypeRef<McpSchema.CallToolRequest>() { });
        Map<String, Object> arguments = call.arguments() == null ? Map.of() : call.arguments();
        Optional<McpSchema.CallToolResult> result = Optional.empty();
        if (call.name().startsWith(AGENT) && CurrentRequest.get().hasScope(ChatCompletionResource.SCOPE)) {
            result = askAgent(call.name().substring(AGENT.length()), arguments.get("message"));
        } else if (call.name().startsWith(TOOL) && CurrentRequest.get().hasScope(TOOLS_SCOPE)) {
            result = callTool(call.name().substring(TOOL.length()), json.writeValueAsString(arguments));
        }
        return result.map(done -> McpSchema.JSONRPCResponse.result(request.id(), done))
                .orElseGet(() -> McpSchema.JSONRPCResponse.error(request.id(),
                        new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INVALID_PARAMS,
                                "Unknown tool: " + call.name())));
    }

    private Optional<McpSchema.CallToolResult> askAgent(String name, Object message) {
        if (!(message instanceof String text) || text.isBlank()) {
            return agents.named(name).map(agent -> failed("message: required, the text to ask the agent"));
        }
        TenantId tenant = CurrentRequest.get().requireTenant();
        Optional<Conversations.Opened> started;
        try {
            started = conversations.open(name, List.of(), text);
        } catch (ProblemException refused) {
            return Optional.of(failed(refused.getMessage()));
        }
        return started.map(opened -> {
            Conversations.Ending ending = follower.follow(tenant, opened, delta -> { });
            if (ending == null) {
                return failed("The agent did not answer within " + TurnFollower.MAX_WAIT.toSeconds() + " s");
            }
            return ending.failed() ? failed(ending.error()) : McpSchema.CallToolResult.builder()
                    .addTextContent(ending.answer()).isError(false).build();
        });
    }

    /** Calls a read tool, polling a long one up to {@link #MAX_TOOL_WAIT}; audited like an agent's calls. */
    private Optional<McpSchema.CallToolResult> callTool(String name, String arguments) {
        if (readTools().stream().noneMatch(tool -> tool.name().equals(name))) {
            return Optional.empty();
        }
        ToolOutcome outcome = tools.call(name, arguments, "mcp:" + UUID.randomUUID());
        Instant deadline = Instant.now().plus(MAX_TOOL_WAIT);
        while (outcome instanceof ToolOutcome.Pending pending && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(Math.min(1000, Math.max(50, pending.pollAfter().toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            outcome = tools.poll(name, pending.pollToken());
        }
        recordCall(name, outcome);
        if (outcome instanceof ToolOutcome.Done done) {
            return Optional.of(McpSchema.CallToolResult.builder().addTextContent(done.result()).isError(false)
                    .build());
        }
        return Optional.of(failed(outcome instanceof ToolOutcome.Failed failure ? failure.error()
                : "The tool is still running after " + MAX_TOOL_WAIT.toSeconds() + " s"));
    }

    private void recordCall(String name, ToolOutcome outcome) {
        audit.record(AuditEntry.of(outcome instanceof ToolOutcome.Done ? "tool.called" : "tool.failed",
                Json.createObjectBuilder().add("tool", name).add("via", "mcp").build()));
    }

    private List<ToolDescriptor> readTools() {
        return tools.catalog().stream().filter(tool -> tool.sideEffect() == ToolDescriptor.SideEffect.READ).toList();
    }

    private static McpSchema.CallToolResult failed(String message) {
        return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
