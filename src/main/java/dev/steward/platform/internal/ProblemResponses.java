package dev.steward.platform.internal;

import dev.steward.shared.ProblemJson;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents, once for every operation of every module, that errors come as RFC 9457 problem details: the
 * {@code Problem} schema and a {@code default} response in {@code application/problem+json}. Registered through
 * {@code mp.openapi.filter}.
 */
public class ProblemResponses implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents()
                .addSchema("FieldError", object()
                        .addProperty("field", string("The field as named in the request, e.g. scopes[1]"))
                        .addProperty("message", string("What is wrong with it")))
                .addSchema("Problem", object()
                        .description("RFC 9457 problem details; branch on 'type'")
                        .addProperty("type", string("Stable URI of the kind of problem"))
                        .addProperty("title", string("Short summary of the kind of problem"))
                        .addProperty("status", OASFactory.createSchema().type(Schema.SchemaType.INTEGER))
                        .addProperty("detail", string("What went wrong with this request"))
                        .addProperty("instance", string("The request path"))
                        .addProperty("requestId", string("Quote it when reporting a problem"))
                        .addProperty("errors", OASFactory.createSchema().type(Schema.SchemaType.ARRAY)
                                .items(OASFactory.createSchema().ref("FieldError"))));
        if (openAPI.getPaths() == null) {
            return;
        }
        for (PathItem path : openAPI.getPaths().getPathItems().values()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> operation : path.getOperations().entrySet()) {
                APIResponses responses = operation.getValue().getResponses();
                if (responses == null) {
                    responses = OASFactory.createAPIResponses();
                    operation.getValue().setResponses(responses);
                }
                if (responses.getDefaultValue() == null) {
                    responses.setDefaultValue(problemResponse());
                }
            }
        }
    }

    private static APIResponse problemResponse() {
        return OASFactory.createAPIResponse()
                .description("Any error: 4xx and 5xx answers are problem details")
                .content(OASFactory.createContent().addMediaType(ProblemJson.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem"))));
    }

    private static Schema object() {
        return OASFactory.createSchema().type(Schema.SchemaType.OBJECT);
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().type(Schema.SchemaType.STRING).description(description);
    }
}
