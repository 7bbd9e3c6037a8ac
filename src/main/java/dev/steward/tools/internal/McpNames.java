package dev.steward.tools.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * How a remote MCP server's tools are named in the catalog: {@code <server>__<tool>}. Model providers take function
 * names of letters, digits, {@code _} and {@code -} only (no dots), and agents are granted tools by names of at most
 * 63 lowercase characters, so a remote name is brought to that form ({@code getForecast} becomes
 * {@code get_forecast}); a server's name has no underscore and no built-in tool has a double one, so the first
 * {@code __} always splits a catalog name into its server and tool.
 */
final class McpNames {

    static final String SERVER_PATTERN = "[a-z][a-z0-9-]{0,23}";
    static final String SEPARATOR = "__";
    static final int MAX_LENGTH = 63;

    private McpNames() {
    }

    static boolean isRemote(String catalogName) {
        return catalogName.contains(SEPARATOR);
    }

    /** The server a catalog name belongs to, if it names a remote tool. */
    static Optional<String> server(String catalogName) {
        int split = catalogName.indexOf(SEPARATOR);
        return split > 0 ? Optional.of(catalogName.substring(0, split)) : Optional.empty();
    }

    /** Where a tool comes from, as the catalog shows it: {@code built-in} or {@code mcp:<server>}. */
    static String source(String catalogName) {
        return server(catalogName).map(server -> "mcp:" + server).orElse("built-in");
    }

    /**
     * The catalog name of the server's tool {@code remoteName}, or empty when it cannot have one (too long, or
     * nothing left of it); camel case becomes snake case and anything else outside the alphabet becomes {@code _}.
     */
    static Optional<String> catalogName(String server, String remoteName) {
        String snake = remoteName.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_-]", "_").replaceAll("__+", "_").replaceAll("^_+|_+$", "");
        String name = server + SEPARATOR + snake;
        return snake.isEmpty() || name.length() > MAX_LENGTH ? Optional.empty() : Optional.of(name);
    }
}
