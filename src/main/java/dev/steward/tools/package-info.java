/**
 * Tools: what agents may call beyond their model, and the tenant's catalog of them ({@code /api/v1/tools}): the
 * built-in tools ({@code current_time}, {@code save_note}, {@code wait_seconds}, {@code sql_query} over the
 * documented {@code agent_sql} views, {@code http_get} and {@code http_send} to the tenant's allow-listed hosts) and
 * the tools of the tenant's remote MCP servers ({@code <server>__<tool>}); channels join the same catalog.
 */
@ApplicationModule(dependsOn = {"tenancy", "audit"})
package dev.steward.tools;

import dev.steward.shared.ApplicationModule;
