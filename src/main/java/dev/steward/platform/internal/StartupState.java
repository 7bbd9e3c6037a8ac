package dev.steward.platform.internal;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;

/** How far the start-up sequence got; readiness reports it. */
@ApplicationScoped
class StartupState {

    record Status(boolean ready, String detail) {
    }

    private final AtomicReference<Status> status = new AtomicReference<>(new Status(false, "starting"));

    Status status() {
        return status.get();
    }

    void ready(String detail) {
        status.set(new Status(true, detail));
    }

    void failed(String detail) {
        status.set(new Status(false, detail));
    }
}
