package dev.steward.tenancy.internal;

import dev.steward.shared.Logs;
import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.DemoTenant;
import dev.steward.tenancy.api.Scopes;
import dev.steward.tenancy.api.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * Seeds the demo tenant of a developer installation. The developer launcher generates the demo key once and keeps
 * it in the data directory, so every start prints the same working key while the database stores only its hash.
 * The demo tenant's id is fixed so that finding it again needs no cross-tenant lookup.
 */
@ApplicationScoped
class DefaultDemoTenant implements DemoTenant {

    static final TenantId DEMO_ID = TenantId.of("00000000-0000-4000-8000-00000000de70");

    @Inject
    TenantScope scope;

    @Inject
    TenantRegistry tenants;

    @Inject
    ApiKeyRegistry keys;

    @Override
    public void ensure(String apiKey) {
        ApiKeySecret secret = ApiKeySecret.parse(apiKey).orElseThrow(() ->
                new IllegalArgumentException("STEWARD_DEMO_KEY is not a Steward API key (stw_<12>_<43>)"));
        scope.run(DEMO_ID, () -> {
            Optional<TenantView> existing = tenants.find(DEMO_ID);
            if (existing.isEmpty()) {
                tenants.create(DEMO_ID, SLUG, "Demo");
                Logs.of(DefaultDemoTenant.class).info("Demo tenant '" + SLUG + "' created");
            }
            if (!keys.existsWithPrefix(secret.prefix())) {
                keys.issue(DEMO_ID, "demo", List.of(Scopes.ALL), secret);
            }
        });
    }

    @Override
    public Optional<TenantId> find() {
        return scope.call(DEMO_ID, () -> tenants.find(DEMO_ID)).map(tenant -> DEMO_ID);
    }
}
