/**
 * Tools: what agents may call beyond their model, and the tenant's catalog of them ({@code /api/v1/tools}): the
 * built-in tools ({@code current_time}, {@code save_note}, {@code wait_seconds}, {@code sql_query} over the
 * documented {@code agent_sql} views, {@code http_get} and {@code http_send} to the tenant's allow-listed hosts,
 * {@code send_email}), the tools of the tenant's remote MCP servers ({@code <server>__<tool>}); and the email channel
 * ({@code /api/v1/email}): mail accounts, outbound mail sent by the queue under each account's daily cap, inbound
 * mail polled over IMAP and fired as {@code InboundEmail}.
 */
@ApplicationModule(dependsOn = {"tenancy", "audit", "dispatch", "quota"})
package dev.steward.tools;

import dev.steward.shared.ApplicationModule;
