package dev.steward.shared;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.List;

/** Renders RFC 9457 problem details, the one shape of every 4xx and 5xx answer. */
public final class ProblemJson {

    public static final String MEDIA_TYPE = "application/problem+json";

    private ProblemJson() {
    }

    public static JsonObject render(ProblemType type, String detail, String instance, List<FieldError> errors) {
        return render(type.type().toString(), type.title(), type.status(), detail, instance, errors);
    }

    /** A status the catalog has no type for: RFC 9457's {@code about:blank}, titled by the status. */
    public static JsonObject render(int status, String title, String detail, String instance) {
        return render("about:blank", title, status, detail, instance, List.of());
    }

    private static JsonObject render(String type, String title, int status, String detail, String instance,
                                     List<FieldError> errors) {
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("type", type)
                .add("title", title)
                .add("status", status);
        if (detail != null && !detail.isBlank()) {
            body.add("detail", detail);
        }
        if (instance != null) {
            body.add("instance", instance);
        }
        CurrentRequest.find().ifPresent(context -> body.add("requestId", context.requestId()));
        if (!errors.isEmpty()) {
            JsonArrayBuilder list = Json.createArrayBuilder();
            errors.forEach(error -> list.add(Json.createObjectBuilder()
                    .add("field", error.field())
                    .add("message", error.message())));
            body.add("errors", list);
        }
        return body.build();
    }
}
