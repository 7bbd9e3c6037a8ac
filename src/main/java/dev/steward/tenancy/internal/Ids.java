package dev.steward.tenancy.internal;

import dev.steward.shared.ProblemException;
import java.util.UUID;

final class Ids {

    private Ids() {
    }

    /** A path id; one that is not even a UUID names nothing, so it is a 404 like any unknown id. */
    static UUID parse(String what, String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound(what, id);
        }
    }
}
