package dev.steward.audit.api;

/**
 * Appends to the trail of the tenant in scope, in the caller's transaction: the entry commits with what it records
 * or not at all. The append locks the tenant's chain head until that transaction ends, so callers append last.
 */
public interface AuditTrail {

    void record(AuditEntry entry);
}
