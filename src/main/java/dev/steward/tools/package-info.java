/**
 * Tools: what agents may call beyond their model, and the tenant's catalog of them ({@code /api/v1/tools}). For now
 * the built-in tools ({@code current_time}, {@code save_note}, {@code wait_seconds}, and {@code sql_query} over the
 * documented {@code agent_sql} views); MCP servers and channels join the same catalog.
 */
@ApplicationModule(dependsOn = {"tenancy"})
package dev.steward.tools;

import dev.steward.shared.ApplicationModule;
