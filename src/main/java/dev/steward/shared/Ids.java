package dev.steward.shared;

import java.util.UUID;

/** Ids as clients write them, read the same way by every resource. */
public final class Ids {

    private Ids() {
    }

    /** A path id; one that is not even a UUID names nothing, so it is a 404 like any unknown id. */
    public static UUID fromPath(String what, String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound(what, id);
        }
    }

    /** A filter's id: {@code null} when absent; anything but a UUID is a 400 naming the field. */
    public static UUID fromQuery(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(field, "must be a UUID");
        }
    }
}
