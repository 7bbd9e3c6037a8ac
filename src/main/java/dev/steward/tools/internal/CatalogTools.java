package dev.steward.tools.internal;

import dev.steward.tools.api.ToolDescriptor;
import dev.steward.tools.api.ToolDescriptor.SideEffect;
import dev.steward.tools.api.ToolOutcome;
import dev.steward.tools.api.Tools;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The tenant's whole catalog, the {@link Tools} the other modules use: the built-in tools, then the tools of the
 * tenant's registered MCP servers ({@code <server>__<tool>}, from the cache their last listing filled, so showing
 * the catalog never waits on a remote server). A name with {@code __} is a remote tool's, every other a built-in's.
 * Remote tools are writes unless their registration names them read-only, and take their server's timeout.
 */
@ApplicationScoped
class CatalogTools implements Tools {

    @Inject
    @BuiltIn
    Tools builtIns;

    @Inject
    McpServers servers;

    @Inject
    McpRemote remote;

    @Override
    public List<ToolDescriptor> catalog() {
        List<ToolDescriptor> all = new ArrayList<>(builtIns.catalog());
        servers.tools(null).stream().map(CatalogTools::descriptor).forEach(all::add);
        return all;
    }

    @Override
    public List<ToolDescriptor> resolve(List<String> names) {
        List<String> remoteNames = names.stream().filter(McpNames::isRemote).toList();
        Map<String, ToolDescriptor> remoteTools = remoteNames.isEmpty() ? Map.of() : servers.tools(remoteNames)
                .stream().map(CatalogTools::descriptor).collect(Collectors.toMap(ToolDescriptor::name,
                        Function.identity()));
        List<ToolDescriptor> resolved = new ArrayList<>();
        for (String name : names) {
            if (McpNames.isRemote(name)) {
                Optional.ofNullable(remoteTools.get(name)).ifPresent(resolved::add);
            } else {
                resolved.addAll(builtIns.resolve(List.of(name)));
            }
        }
        return resolved;
    }

    @Override
    public ToolOutcome call(String name, String argumentsJson, String callKey) {
        if (!McpNames.isRemote(name)) {
            return builtIns.call(name, argumentsJson, callKey);
        }
        Optional<McpServers.CachedTool> tool = servers.tools(List.of(name)).stream().findFirst();
        Optional<McpRemote.Endpoint> endpoint = tool.flatMap(found -> servers.endpoint(found.server()));
        if (endpoint.isEmpty()) {
            return new ToolOutcome.Failed("No tool named " + name);
        }
        return remote.call(endpoint.get(), tool.get().remoteName(), argumentsJson, callKey);
    }

    @Override
    public ToolOutcome poll(String name, String pollToken) {
        // A remote tool answers within its call (MCP's own progress notifications are not relayed), so never pends.
        return McpNames.isRemote(name) ? new ToolOutcome.Failed("The tool " + name + " has no pending calls")
                : builtIns.poll(name, pollToken);
    }

    private static ToolDescriptor descriptor(McpServers.CachedTool tool) {
        return new ToolDescriptor(tool.name(), tool.description(), tool.inputSchema(),
                tool.readOnly() ? SideEffect.READ : SideEffect.WRITE, tool.timeout());
    }
}
