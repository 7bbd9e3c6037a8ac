package dev.steward.tenancy.api;

/**
 * The platform's own trail ({@code tenancy.platform_access_log}): what the operator did that belongs to no tenant's
 * audit trail (signing in to the admin UI, say), with the principal and request id. Only the operator and Steward
 * itself may write to it; anyone else is refused by the database.
 */
public interface PlatformAccessLog {

    void note(String operation, String target);
}
