package dev.steward.tools.internal;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a server's {@code tools/list} becomes in the catalog: each tool under its catalog name
 * ({@link McpNames#catalogName}), with its description and input schema; tools that cannot be named (too long, two
 * remote names meeting in one catalog name) or whose schema is not a JSON object are skipped, and the skips are
 * kept with their reasons so that the tenant can see why a tool is missing.
 */
record McpToolListing(List<Listed> tools, String skippedJson) {

    static final int MAX_DESCRIPTION = 4000;
    private static final String EMPTY_SCHEMA = "{\"type\":\"object\",\"properties\":{}}";

    record Listed(String name, String remoteName, String description, String inputSchema) {
    }

    static McpToolListing of(String server, List<McpSchema.Tool> listed, McpJsonMapper json) {
        Map<String, Listed> byName = new HashMap<>();
        List<Listed> tools = new ArrayList<>();
        JsonArrayBuilder skipped = Json.createArrayBuilder();
        for (McpSchema.Tool tool : listed) {
            String remote = tool.name() == null ? "" : tool.name();
            Optional<String> name = remote.length() > 128 ? Optional.empty() : McpNames.catalogName(server, remote);
            if (name.isEmpty()) {
                skipped.add(skip(remote, "its name does not fit a catalog name of at most " + McpNames.MAX_LENGTH
                        + " characters"));
                continue;
            }
            Listed clash = byName.get(name.get());
            if (clash != null) {
                skipped.add(skip(remote, "its catalog name " + name.get() + " is " + clash.remoteName() + "'s"));
                continue;
            }
            String schema;
            try {
                schema = tool.inputSchema() == null ? EMPTY_SCHEMA : json.writeValueAsString(tool.inputSchema());
            } catch (IOException | RuntimeException e) {
                skipped.add(skip(remote, "its input schema is not a JSON object"));
                continue;
            }
            String description = tool.description() != null ? tool.description()
                    : tool.title() != null ? tool.title() : "";
            Listed entry = new Listed(name.get(), remote, description.length() > MAX_DESCRIPTION
                    ? description.substring(0, MAX_DESCRIPTION) : description, schema);
            byName.put(entry.name(), entry);
            tools.add(entry);
        }
        return new McpToolListing(List.copyOf(tools), skipped.build().toString());
    }

    private static jakarta.json.JsonObject skip(String remoteName, String reason) {
        return Json.createObjectBuilder().add("remoteName", remoteName.length() > 200
                ? remoteName.substring(0, 200) : remoteName).add("reason", reason).build();
    }
}
