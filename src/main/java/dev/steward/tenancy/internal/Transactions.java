package dev.steward.tenancy.internal;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import jakarta.transaction.TransactionSynchronizationRegistry;

/** The container's view of the running JTA transaction, for code Hibernate instantiates outside CDI. */
final class Transactions {

    private static volatile TransactionSynchronizationRegistry registry;

    private Transactions() {
    }

    static TransactionSynchronizationRegistry registry() {
        TransactionSynchronizationRegistry found = registry;
        if (found == null) {
            try {
                found = (TransactionSynchronizationRegistry) new InitialContext()
                        .lookup("java:comp/TransactionSynchronizationRegistry");
            } catch (NamingException e) {
                throw new IllegalStateException("no JTA transaction registry", e);
            }
            registry = found;
        }
        return found;
    }
}
