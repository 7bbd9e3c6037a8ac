package dev.steward.tools.internal;

import dev.steward.shared.FieldError;
import dev.steward.shared.InternalAddresses;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a registration of an MCP server and names every field that is wrong. The URL is https, or plain http only
 * to a private IP address that the registration and the installation both allow (credentials are not sent in the
 * clear across the internet); headers may not set what the transport itself decides.
 */
final class McpServerRequest {

    static final int DEFAULT_TIMEOUT_SECONDS = 30;
    static final int MAX_TIMEOUT_SECONDS = 120;
    static final int MAX_HEADERS = 20;
    static final int MAX_READ_ONLY = 200;
    private static final Set<String> FIELDS = Set.of("name", "url", "timeoutSeconds", "allowPrivate", "headers",
            "bearerToken", "readOnlyTools");
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
            "connection", "upgrade", "te", "trailer", "keep-alive", "expect", "accept", "content-type",
            "mcp-session-id", "mcp-protocol-version", "last-event-id", "proxy-authorization");

    private McpServerRequest() {
    }

    static McpServers.Registration read(JsonObject request, boolean installationAllowsPrivate) {
        List<FieldError> errors = new ArrayList<>();
        request.keySet().stream().filter(field -> !FIELDS.contains(field)).sorted()
                .forEach(field -> errors.add(new FieldError(field, "is not a field of an MCP server")));
        String name = text(request, "name");
        if (name == null || !name.matches(McpNames.SERVER_PATTERN)) {
            errors.add(new FieldError("name", "must be 1 to 24 lowercase letters, digits or dashes, starting with a"
                    + " letter (it names the server's tools: <name>__<tool>)"));
        }
        boolean allowPrivate = false;
        if (request.containsKey("allowPrivate")) {
            JsonValue given = request.get("allowPrivate");
            if (given != JsonValue.TRUE && given != JsonValue.FALSE) {
                errors.add(new FieldError("allowPrivate", "must be true or false"));
            } else if (given == JsonValue.TRUE && !installationAllowsPrivate) {
                errors.add(new FieldError("allowPrivate", "this installation does not let tools reach private"
                        + " addresses (STEWARD_TOOLS_HTTP_ALLOW_PRIVATE)"));
            } else {
                allowPrivate = given == JsonValue.TRUE;
            }
        }
        URI url = url(text(request, "url"), errors);
        int timeout = DEFAULT_TIMEOUT_SECONDS;
        if (request.containsKey("timeoutSeconds")) {
            if (request.get("timeoutSeconds") instanceof JsonNumber number && number.isIntegral()
                    && number.longValue() >= 1 && number.longValue() <= MAX_TIMEOUT_SECONDS) {
                timeout = number.intValue();
            } else {
                errors.add(new FieldError("timeoutSeconds", "must be a whole number from 1 to "
                        + MAX_TIMEOUT_SECONDS));
            }
        }
        Map<String, String> headers = headers(request, errors);
        List<String> readOnly = new ArrayList<>();
        if (request.containsKey("readOnlyTools")) {
            if (!(request.get("readOnlyTools") instanceof JsonArray list) || list.size() > MAX_READ_ONLY) {
                errors.add(new FieldError("readOnlyTools", "must be a list of at most " + MAX_READ_ONLY
                        + " of the server's tool names"));
            } else {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) instanceof JsonString tool && !tool.getString().isEmpty()
                            && tool.getString().length() <= 128) {
                        readOnly.add(tool.getString());
                    } else {
                        errors.add(new FieldError("readOnlyTools[" + i + "]", "must be a tool name as the server"
                                + " lists it"));
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "The MCP server's registration is not valid",
                    errors);
        }
        if (url.getScheme().equals("http") && !allowPrivate) {
            throw ProblemException.invalid("url", "plain http reaches only a private IP address, which needs"
                    + " allowPrivate");
        }
        return new McpServers.Registration(name, url, allowPrivate, timeout, List.copyOf(readOnly), headers);
    }

    private static URI url(String given, List<FieldError> errors) {
        String rule = "must be an absolute https URL without credentials or fragment (http only to a private IP"
                + " address)";
        if (given == null || given.length() > 2000) {
            errors.add(new FieldError("url", rule));
            return null;
        }
        try {
            URI url = new URI(given);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            boolean plainToPrivate = scheme.equals("http") && url.getHost() != null
                    && InternalAddresses.isInternalLiteral(url.getHost());
            if (url.getHost() == null || url.getRawUserInfo() != null || url.getRawFragment() != null
                    || !(scheme.equals("https") || plainToPrivate)) {
                errors.add(new FieldError("url", rule));
                return null;
            }
            return url;
        } catch (URISyntaxException e) {
            errors.add(new FieldError("url", rule));
            return null;
        }
    }

    /** The headers to send, {@code bearerToken} as {@code Authorization: Bearer ...}; names as given. */
    private static Map<String, String> headers(JsonObject request, List<FieldError> errors) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (request.containsKey("headers")) {
            if (!(request.get("headers") instanceof JsonObject given) || given.size() > MAX_HEADERS) {
                errors.add(new FieldError("headers", "must be an object of at most " + MAX_HEADERS
                        + " header names and their values"));
            } else {
                new TreeMap<>(given).forEach((header, value) -> {
                    String field = "headers." + header;
                    if (!header.matches("[A-Za-z0-9-]{1,100}")
                            || RESERVED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
                        errors.add(new FieldError(field, "may not be set"));
                    } else if (!(value instanceof JsonString text) || !fine(text.getString())) {
                        errors.add(new FieldError(field, "must be a string of at most 8000 characters without"
                                + " control characters"));
                    } else {
                        headers.put(header, text.getString());
                    }
                });
            }
        }
        if (request.containsKey("bearerToken")) {
            String token = text(request, "bearerToken");
            if (token == null || token.isBlank() || !fine(token)) {
                errors.add(new FieldError("bearerToken", "must be a non-blank string of at most 8000 characters"
                        + " without control characters"));
            } else if (headers.keySet().stream().anyMatch(header -> header.equalsIgnoreCase("Authorization"))) {
                errors.add(new FieldError("bearerToken", "cannot be given with an Authorization header"));
            } else {
                headers.put("Authorization", "Bearer " + token);
            }
        }
        return headers;
    }

    private static boolean fine(String value) {
        return value.length() <= 8000 && value.chars().noneMatch(c -> c < 0x20 && c != '\t' || c == 0x7f);
    }

    private static String text(JsonObject request, String field) {
        return request.get(field) instanceof JsonString value ? value.getString() : null;
    }
}
