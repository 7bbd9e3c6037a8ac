package dev.steward.sessions.internal;

import dev.steward.shared.ProblemException;

/**
 * A transaction's answer: its value, or the refusal the caller throws once the transaction is over (an exception
 * leaving a transactional method is an incident in Liberty's logs; a refused request is not).
 */
record Outcome<T>(T value, ProblemException refusal) {

    static <T> Outcome<T> of(T value) {
        return new Outcome<>(value, null);
    }

    static <T> Outcome<T> refused(ProblemException refusal) {
        return new Outcome<>(null, refusal);
    }

    T orThrow() {
        if (refusal != null) {
            throw refusal;
        }
        return value;
    }
}
