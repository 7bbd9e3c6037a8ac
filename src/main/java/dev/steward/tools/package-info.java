/**
 * Tools: what agents may call beyond their model. For now the built-in tools ({@code current_time},
 * {@code save_note}, {@code wait_seconds}); the per-tenant catalog, MCP and channels build on the same api.
 */
@ApplicationModule(dependsOn = {"tenancy"})
package dev.steward.tools;

import dev.steward.shared.ApplicationModule;
