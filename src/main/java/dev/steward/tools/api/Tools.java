package dev.steward.tools.api;

import java.util.List;

/**
 * The tools of the tenant in scope. Calls run in the caller's thread and outside a transaction; a call is known by
 * its {@code callKey}, so a call repeated after a crash has its effect once.
 */
public interface Tools {

    /** Every tool the tenant has, by name: the catalog agents are granted tools from. */
    List<ToolDescriptor> catalog();

    /** The tools among {@code names} that exist, in the order named: what an agent granted them may call. */
    List<ToolDescriptor> resolve(List<String> names);

    ToolOutcome call(String name, String argumentsJson, String callKey);

    /** Asks a pending call how it is doing. */
    ToolOutcome poll(String name, String pollToken);
}
