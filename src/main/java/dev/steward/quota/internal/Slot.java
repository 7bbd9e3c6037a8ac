package dev.steward.quota.internal;

import dev.steward.shared.TenantId;

/** One locked subject of one tenant during an admission: its effective limits and its counters. */
record Slot(Limits limits, Usage usage) {

    /** Identifies a slot: limits and counters are per tenant and subject. */
    record Key(TenantId tenant, Subject subject) {
    }
}
