package dev.steward.models.internal;

import dev.steward.shared.FieldError;
import dev.steward.shared.InternalAddresses;
import jakarta.json.JsonObject;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/v1/providers}: a provider account. {@code credentials} ({@code {"apiKey": "..."}}; for bedrock an
 * Amazon Bedrock API key) are encrypted and never shown again; on an update they are replaced only when given.
 */
public record ProviderRequest(
        @Pattern(regexp = "[a-z0-9][a-z0-9._-]{0,62}", message = "must be lowercase letters, digits, dots, dashes"
                + " or underscores, at most 63") String name,
        @NotBlank @Pattern(regexp = TYPES, message = "must be one of openai, openai-compatible, anthropic,"
                + " azure-openai, gemini, bedrock, ollama") String type,
        @Size(max = 2000) String baseUrl,
        @Size(max = 10) Map<@Pattern(regexp = "[a-zA-Z][a-zA-Z0-9]{0,39}") String,
                @NotNull @Size(max = 4000) String> credentials,
        JsonObject settings) {

    static final String TYPES = "openai|openai-compatible|anthropic|azure-openai|gemini|bedrock|ollama";
    /**
     * Self-hosted kinds may be reached over plain http; any kind over plain http at a private IP address (a gateway
     * or proxy inside the network).
     */
    private static final Set<String> HTTP_ALLOWED = Set.of("openai-compatible", "ollama");
    /** Bedrock's OpenAI-compatible endpoint is per region (bedrock-runtime or bedrock-mantle): named, not guessed. */
    private static final Set<String> NEED_BASE_URL = Set.of("openai-compatible", "ollama", "azure-openai", "bedrock");

    /** The credentials a type needs to work. */
    static List<String> requiredCredentials(String type) {
        return switch (type) {
            case "ollama", "openai-compatible" -> List.of();
            default -> List.of("apiKey");
        };
    }

    /** Checks beyond the annotations; {@code credentialsRequired} when the credentials must be complete. */
    List<FieldError> problems(boolean credentialsRequired) {
        List<FieldError> errors = new ArrayList<>();
        if (baseUrl == null && NEED_BASE_URL.contains(type)) {
            errors.add(new FieldError("baseUrl", "is required for a " + type + " account"));
        }
        if (baseUrl != null && !validUrl(baseUrl, HTTP_ALLOWED.contains(type))) {
            errors.add(new FieldError("baseUrl", HTTP_ALLOWED.contains(type) ? "must be an absolute http(s) URL"
                    : "must be an absolute https URL (http only to a private IP address)"));
        }
        if (credentialsRequired || credentials != null) {
            for (String needed : requiredCredentials(type)) {
                if (credentials == null || credentials.get(needed) == null || credentials.get(needed).isBlank()) {
                    errors.add(new FieldError("credentials." + needed, "is required for a " + type + " account"));
                }
            }
        }
        return errors;
    }

    private static boolean validUrl(String url, boolean httpAllowed) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return uri.getHost() != null && uri.getUserInfo() == null && (scheme.equals("https")
                    || scheme.equals("http") && (httpAllowed || InternalAddresses.isInternalLiteral(uri.getHost())));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
