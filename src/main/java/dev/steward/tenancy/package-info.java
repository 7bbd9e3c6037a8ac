/**
 * Tenants, their API keys, the authentication of every request, and tenant-scoped transactions: every
 * transaction Hibernate runs is bound to the current tenant by {@code set_config('app.tenant_id', ...)}, so
 * PostgreSQL row-level security isolates tenants whatever the code above does.
 */
@ApplicationModule
package dev.steward.tenancy;

import dev.steward.shared.ApplicationModule;
