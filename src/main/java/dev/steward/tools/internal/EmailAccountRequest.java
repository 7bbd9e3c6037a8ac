package dev.steward.tools.internal;

import dev.steward.shared.FieldError;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A mail account as a tenant registers it ({@code POST /api/v1/email/accounts}). Gmail and Office 365 accounts get
 * their providers' servers unless the request names others; a plain {@code smtp} account names its server. An
 * {@code imap} object (may be empty for gmail and o365) turns on polling of its inbox.
 */
record EmailAccountRequest(String name, String provider, String address, String displayName, String username,
                           String password, EmailAccount.Server smtp, EmailAccount.Server imap, String imapFolder,
                           boolean isDefault) {

    static final String NAME = "[a-z0-9][a-z0-9._-]{0,62}";
    /**
     * An address Steward sends to or from: an ASCII local part of RFC 5322's atext and dots, and a domain name. Plain
     * ASCII throughout, so nothing in it can turn into a header line or an SMTP command.
     */
    static final String ADDRESS = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})+";
    /** One line of text without control characters. */
    private static final String LINE = "[^\\p{Cc}]";
    private static final Set<String> PROVIDERS = Set.of("gmail", "o365", "smtp");
    private static final Set<String> SMTP_SECURITY = Set.of("none", "starttls", "tls");
    private static final Set<String> IMAP_SECURITY = Set.of("none", "tls");
    private static final Map<String, EmailAccount.Server> SMTP_SERVERS = Map.of(
            "gmail", new EmailAccount.Server("smtp.gmail.com", 587, "starttls"),
            "o365", new EmailAccount.Server("smtp.office365.com", 587, "starttls"));
    private static final Map<String, EmailAccount.Server> IMAP_SERVERS = Map.of(
            "gmail", new EmailAccount.Server("imap.gmail.com", 993, "tls"),
            "o365", new EmailAccount.Server("outlook.office365.com", 993, "tls"));

    static boolean isAddress(String text) {
        return text != null && text.length() <= 254 && text.matches(ADDRESS);
    }

    /** The request, or a 400 naming every field that is wrong. */
    static EmailAccountRequest of(JsonObject body) {
        List<FieldError> errors = new ArrayList<>();
        String name = text(body, "name", NAME, "must be 1-63 lowercase letters, digits, dots, dashes or underscores",
                true, errors);
        String provider = text(body, "provider", null, null, true, errors);
        if (provider != null && !PROVIDERS.contains(provider)) {
            errors.add(new FieldError("provider", "must be one of gmail, o365, smtp"));
            provider = null;
        }
        String address = text(body, "address", ADDRESS, "must be an email address", true, errors);
        if (address != null && address.length() > 254) {
            errors.add(new FieldError("address", "must be an email address of at most 254 characters"));
        }
        String displayName = text(body, "displayName", LINE + "{1,200}", "must be one line of at most 200"
                + " characters", false, errors);
        String username = text(body, "username", LINE + "{1,320}", "must be one line of at most 320 characters",
                false, errors);
        String password = text(body, "password", LINE + "{1,1000}", "must be one line of at most 1000 characters",
                false, errors);
        EmailAccount.Server smtp = server(body, "smtp", SMTP_SECURITY,
                provider == null ? null : SMTP_SERVERS.get(provider), errors);
        if (smtp == null && "smtp".equals(provider) && !body.containsKey("smtp")) {
            errors.add(new FieldError("smtp", "an smtp account names its server: {host, port, security}"));
        }
        EmailAccount.Server imap = null;
        String folder = null;
        if (body.containsKey("imap")) {
            imap = server(body, "imap", IMAP_SECURITY, provider == null ? null : IMAP_SERVERS.get(provider), errors);
            if (body.get("imap") instanceof JsonObject given) {
                folder = text(given, "imap.", "folder", LINE + "{1,200}", "must be one line of at most 200 characters",
                        false, errors);
            }
        }
        boolean isDefault = false;
        if (body.containsKey("default")) {
            JsonValue value = body.get("default");
            if (value != JsonValue.TRUE && value != JsonValue.FALSE) {
                errors.add(new FieldError("default", "must be true or false"));
            }
            isDefault = value == JsonValue.TRUE;
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "The mail account is not valid", errors);
        }
        return new EmailAccountRequest(name, provider, address, displayName, username == null ? address : username,
                password, smtp, imap, folder == null ? (imap == null ? null : "INBOX") : folder, isDefault);
    }

    /** A server object, its missing parts filled from the provider's; null when invalid (the error is added). */
    private static EmailAccount.Server server(JsonObject body, String field, Set<String> securities,
                                              EmailAccount.Server preset, List<FieldError> errors) {
        JsonValue value = body.get(field);
        if (value == null) {
            return preset;
        }
        if (!(value instanceof JsonObject given)) {
            errors.add(new FieldError(field, "must be an object: {host, port, security}"));
            return null;
        }
        String host = text(given, field + ".", "host", "[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}]",
                "must be a host name or"
                + " address", false, errors);
        Integer port = null;
        if (given.containsKey("port")) {
            if (given.get("port") instanceof JsonNumber number && number.isIntegral() && number.intValue() >= 1
                    && number.intValue() <= 65535) {
                port = number.intValue();
            } else {
                errors.add(new FieldError(field + ".port", "must be a whole number from 1 to 65535"));
            }
        }
        String security = text(given, field + ".", "security", null, null, false, errors);
        if (security != null && !securities.contains(security)) {
            errors.add(new FieldError(field + ".security", "must be one of " + String.join(", ",
                    securities.stream().sorted().toList())));
        }
        host = host != null ? host.toLowerCase(Locale.ROOT) : preset == null ? null : preset.host();
        port = port != null ? port : preset == null ? null : preset.port();
        security = security != null ? security : preset == null ? null : preset.security();
        for (String part : List.of("host", "port", "security")) {
            boolean missing = switch (part) {
                case "host" -> host == null;
                case "port" -> port == null;
                default -> security == null;
            };
            if (missing && errors.stream().noneMatch(error -> error.field().equals(field + "." + part))) {
                errors.add(new FieldError(field + "." + part, "is required"));
            }
        }
        return host == null || port == null || security == null ? null
                : new EmailAccount.Server(host, port, security);
    }

    private static String text(JsonObject body, String field, String pattern, String message, boolean required,
                               List<FieldError> errors) {
        return text(body, "", field, pattern, message, required, errors);
    }

    /** A string field of {@code body}, named {@code prefix + field} in errors; null when absent or invalid. */
    private static String text(JsonObject body, String prefix, String field, String pattern, String message,
                               boolean required, List<FieldError> errors) {
        JsonValue value = body.get(field);
        if (value == null || value == JsonValue.NULL) {
            if (required) {
                errors.add(new FieldError(prefix + field, "is required"));
            }
            return null;
        }
        if (!(value instanceof JsonString string)) {
            errors.add(new FieldError(prefix + field, "must be a string"));
            return null;
        }
        if (pattern != null && !string.getString().matches(pattern)) {
            errors.add(new FieldError(prefix + field, message));
            return null;
        }
        return string.getString();
    }
}
