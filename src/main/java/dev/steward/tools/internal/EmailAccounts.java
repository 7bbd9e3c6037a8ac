package dev.steward.tools.internal;

import dev.steward.audit.api.AuditEntry;
import dev.steward.audit.api.AuditTrail;
import dev.steward.quota.api.ChannelAccounts;
import dev.steward.shared.CredentialCipher;
import dev.steward.shared.CurrentRequest;
import dev.steward.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.transaction.Transactional;
import java.security.GeneralSecurityException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The tenant in scope's mail accounts, under its row-level security. Passwords are sealed with the master key, bound
 * to their tenant and account; a new account tells the constraint engine its type, which sets its default daily cap.
 */
@ApplicationScoped
class EmailAccounts {

    private static final String PURPOSE = "email-credentials/v1";
    private static final String COLUMNS = "id, name, provider, address, display_name, username,"
            + " password IS NOT NULL AS has_password, smtp_host, smtp_port, smtp_security, imap_host, imap_port,"
            + " imap_security, imap_folder, is_default, last_polled_at, last_error, created_at";
    private static final String INSERT = "INSERT INTO tools.email_accounts (tenant_id, id, name, provider, address,"
            + " display_name, username, password, smtp_host, smtp_port, smtp_security, imap_host, imap_port,"
            + " imap_security, imap_folder, next_poll_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? THEN now() END)"
            + " ON CONFLICT (tenant_id, name) DO NOTHING";
    private static final String LOCK_DEFAULT = "SELECT pg_advisory_xact_lock(hashtext('email-default:' || ?))";
    private static final String CLEAR_DEFAULT = "UPDATE tools.email_accounts SET is_default = false WHERE is_default";
    private static final String SET_DEFAULT = "UPDATE tools.email_accounts SET is_default = true WHERE id = ?";
    private static final String BY_NAME = "SELECT " + COLUMNS + " FROM tools.email_accounts WHERE name = ?";
    private static final String BY_ID = "SELECT " + COLUMNS + " FROM tools.email_accounts WHERE id = ?";
    private static final String ALL = "SELECT " + COLUMNS + " FROM tools.email_accounts ORDER BY name";
    private static final String PAGE = ALL + " OFFSET ? LIMIT ?";
    /** The default account, else the only one: what a message that names no account is sent from. */
    private static final String DEFAULT = "SELECT " + COLUMNS + " FROM tools.email_accounts"
            + " WHERE is_default OR (SELECT count(*) FROM tools.email_accounts) = 1 LIMIT 1";
    private static final String DELETE = "DELETE FROM tools.email_accounts WHERE name = ?";
    private static final String PASSWORD = "SELECT password FROM tools.email_accounts WHERE id = ?";
    private static final String POLL_STATE = "SELECT uid_validity, last_uid FROM tools.email_accounts WHERE id = ?";
    private static final String LOCK_TIMER = "SELECT pg_advisory_xact_lock(hashtext('steward-email-polls'))";
    private static final String DUE = "SELECT tenant_id, account_id, next_poll_at FROM tools.due_email_polls(?)";
    private static final String CLAIM_POLL = "UPDATE tools.email_accounts SET next_poll_at = ?"
            + " WHERE id = ? AND next_poll_at = ?";
    /** Two polls that overlap both move the mark forward; a new UIDVALIDITY starts it over. */
    private static final String POLLED = "UPDATE tools.email_accounts SET last_uid = CASE WHEN uid_validity = ?"
            + " THEN greatest(last_uid, ?) ELSE ? END, uid_validity = ?, last_polled_at = now(), last_error = NULL"
            + " WHERE id = ?";
    private static final String POLL_FAILED = "UPDATE tools.email_accounts SET last_polled_at = now(),"
            + " last_error = ? WHERE id = ?";

    /** Where polling stands for an account: the folder's UIDVALIDITY (null before the first poll), the last UID. */
    record PollState(Long uidValidity, long lastUid) {
    }

    /** An account whose inbound poll is due, across tenants, and the due time it was read with. */
    record DuePoll(TenantId tenant, UUID account, Instant dueAt) {
    }

    @Inject
    Jdbc jdbc;

    @Inject
    ChannelAccounts channels;

    @Inject
    AuditTrail audit;

    @Inject
    @ConfigProperty(name = "steward.master-key")
    Optional<String> masterKey;


    /** The new account; empty when the tenant has one of that name. */
    @Transactional
    Optional<EmailAccount> create(EmailAccountRequest request) {
        TenantId tenant = CurrentRequest.get().requireTenant();
        UUID id = UUID.randomUUID();
        byte[] password = request.password() == null ? null
                : cipher().encrypt(request.password(), boundTo(tenant, id));
        EmailAccount.Server imap = request.imap();
        int inserted = jdbc.update(INSERT, tenant.value(), id, request.name(), request.provider(), request.address(),
                request.displayName(), request.username(), password, request.smtp().host(), request.smtp().port(),
                request.smtp().security(), imap == null ? null : imap.host(), imap == null ? null : imap.port(),
                imap == null ? null : imap.security(), request.imapFolder(), imap != null);
        if (inserted == 0) {
            return Optional.empty();
        }
        if (request.isDefault()) {
            // Two new defaults at once would both clear the old one and then collide: one waits for the other.
            jdbc.query(LOCK_DEFAULT, row -> true, tenant.value().toString());
            jdbc.update(CLEAR_DEFAULT);
            jdbc.update(SET_DEFAULT, id);
        }
        channels.declare(request.name(), request.provider());
        audit.record(AuditEntry.of("email.account.created", Json.createObjectBuilder().add("account", request.name())
                .add("provider", request.provider()).add("address", request.address())
                .add("inbound", imap != null).build()));
        return find(request.name());
    }

    @Transactional
    List<EmailAccount> list() {
        return jdbc.query(ALL, EmailAccounts::account);
    }

    /** A page of {@link #list()}: from {@code offset}, at most {@code limit}. */
    @Transactional
    List<EmailAccount> list(int offset, int limit) {
        return jdbc.query(PAGE, EmailAccounts::account, offset, limit);
    }

    @Transactional
    Optional<EmailAccount> find(String name) {
        return jdbc.query(BY_NAME, EmailAccounts::account, name).stream().findFirst();
    }

    @Transactional
    Optional<EmailAccount> find(UUID id) {
        return jdbc.query(BY_ID, EmailAccounts::account, id).stream().findFirst();
    }

    /** The account a message naming none goes out from: the default one, or the tenant's only one. */
    @Transactional
    Optional<EmailAccount> fallback() {
        return jdbc.query(DEFAULT, EmailAccounts::account).stream().findFirst();
    }

    /** Removes the account (its messages stay); false when there is none of that name. */
    @Transactional
    boolean delete(String name) {
        if (jdbc.update(DELETE, name) == 0) {
            return false;
        }
        channels.forget(name);
        audit.record(AuditEntry.of("email.account.deleted", Json.createObjectBuilder().add("account", name).build()));
        return true;
    }

    /** The account's password, opened for a connection; null when it has none. */
    @Transactional
    String password(EmailAccount account) {
        byte[] sealed = jdbc.query(PASSWORD, row -> row.getBytes("password"), account.id()).stream().findFirst()
                .orElse(null);
        if (sealed == null) {
            return null;
        }
        try {
            return cipher().decrypt(sealed, boundTo(CurrentRequest.get().requireTenant(), account.id()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the password of mail account " + account.name()
                    + " does not decrypt (was STEWARD_MASTER_KEY changed?)", e);
        }
    }

    @Transactional
    PollState pollState(UUID account) {
        return jdbc.query(POLL_STATE, row -> new PollState(row.getObject("uid_validity", Long.class),
                row.getLong("last_uid")), account).stream().findFirst().orElse(new PollState(null, 0));
    }

    /** Records a poll: the folder's UIDVALIDITY and the highest UID read under it. */
    @Transactional
    void polled(UUID account, long uidValidity, long lastUid) {
        jdbc.update(POLLED, uidValidity, lastUid, lastUid, uidValidity, account);
    }

    /** Records a poll that failed, for the account's view; the next poll tries again. */
    @Transactional
    void pollFailed(UUID account, String error) {
        jdbc.update(POLL_FAILED, error, account);
    }

    /** Accounts whose poll is due, across tenants, for Steward's timer (a system principal) only. */
    @Transactional
    List<DuePoll> due(int limit) {
        return jdbc.query(DUE, row -> new DuePoll(new TenantId(row.getObject("tenant_id", UUID.class)),
                row.getObject("account_id", UUID.class), Jdbc.instant(row, "next_poll_at")), limit);
    }

    /** Serialises the creation of the polls' timer across nodes starting together. */
    @Transactional(Transactional.TxType.MANDATORY)
    void lockTimerCreation() {
        jdbc.query(LOCK_TIMER, row -> true);
    }

    /** Moves the account's next poll to {@code next} if it is still due at {@code dueAt}; false when another did. */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean claimPoll(UUID account, Instant dueAt, Instant next) {
        return jdbc.update(CLAIM_POLL, next, account, dueAt) == 1;
    }

    private static EmailAccount account(ResultSet row) throws SQLException {
        String imapHost = row.getString("imap_host");
        return new EmailAccount(row.getObject("id", UUID.class), row.getString("name"), row.getString("provider"),
                row.getString("address"), row.getString("display_name"), row.getString("username"),
                row.getBoolean("has_password"), new EmailAccount.Server(row.getString("smtp_host"),
                row.getInt("smtp_port"), row.getString("smtp_security")),
                imapHost == null ? null : new EmailAccount.Server(imapHost, row.getInt("imap_port"),
                        row.getString("imap_security")), row.getString("imap_folder"), row.getBoolean("is_default"),
                Jdbc.instant(row, "last_polled_at"), row.getString("last_error"), Jdbc.instant(row, "created_at"));
    }

    private static String boundTo(TenantId tenant, UUID account) {
        return tenant + "/" + account;
    }

    private CredentialCipher cipher() {
        return CredentialCipher.of(masterKey, PURPOSE);
    }
}
