package dev.steward.models.internal;

import dev.steward.shared.FieldError;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.tenancy.api.RequiresScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A tenant's own masking patterns, applied by the gateway beside the built-in kinds. */
@ApplicationScoped
@Path("api/v1/masking-patterns")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "models", description = "Model providers, models and the gateway")
public class MaskingResource {

    @Inject
    MaskingPatternStore store;

    @GET
    @RequiresScope(ModelResource.READ)
    @Operation(summary = "The tenant's own kinds of personal data, masked before a prompt leaves")
    public MaskingPatterns list() {
        return new MaskingPatterns(store.list());
    }

    @PUT
    @RequiresScope(ModelResource.WRITE)
    @Operation(summary = "Replace the tenant's masking patterns",
            description = "Up to 20 {name, pattern}; a name is the placeholder's kind ([NAME_1]), a pattern a Java"
                    + " regular expression. Patterns that run too long on a call's prompt stop the call (409)")
    public MaskingPatterns replace(@NotNull @Valid MaskingPatterns patterns) {
        List<FieldError> problems = patterns.problems();
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "The masking patterns are not valid", problems);
        }
        store.replace(patterns.patterns());
        return new MaskingPatterns(store.list());
    }
}
