package dev.steward.platform.internal;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * Every REST resource of every module, rooted at {@code /}: tenant API under {@code /api/v1}, the operator's under
 * {@code /api/v1/admin}. Rooting it at {@code /} also makes unknown paths answer problem+json 404s.
 */
@ApplicationPath("/")
@OpenAPIDefinition(
        info = @Info(title = "Steward", version = "v1",
                description = "Multi-tenant AI agent platform. Errors are application/problem+json (RFC 9457)."),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A tenant API key (stw_...) or, under /api/v1/admin, the operator's STEWARD_ADMIN_TOKEN")
public class StewardApplication extends Application {
}
