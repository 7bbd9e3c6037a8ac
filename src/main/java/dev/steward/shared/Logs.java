package dev.steward.shared;

import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * Loggers whose lines carry the request id and the opaque tenant tag of the running work, e.g.
 * {@code [rid=4f2c... tenant=t-9a1b2c3d4e5f] API key revoked}. Use {@code Logs.of(MyClass.class)} instead of
 * {@code Logger.getLogger}: the prefix is added by the logger's filter, so no call site can forget it.
 */
public final class Logs {

    private static final String MARK = "[rid=";

    // Liberty may consult a logger's filter more than once per record: prefix only once.
    private static final Filter CONTEXT_PREFIX = record -> {
        String message = record.getMessage();
        if (message == null || !message.startsWith(MARK)) {
            CurrentRequest.find().ifPresent(context -> record.setMessage(
                    MARK + context.requestId() + " tenant=" + context.tenantTag() + "] " + message));
        }
        return true;
    };

    private Logs() {
    }

    public static Logger of(Class<?> owner) {
        Logger logger = Logger.getLogger(owner.getName());
        logger.setFilter(CONTEXT_PREFIX);
        return logger;
    }
}
