/**
 * The durable job queue: every unit of work is a row in {@code dispatch.jobs}, claimed with FOR UPDATE SKIP LOCKED
 * by priority tier and tenant turn, run by a worker under its tenant, retried with backoff, rescued when a lease
 * expires, after the quota module admits it. Other modules submit work and register {@link dev.steward.dispatch.api.JobHandler}s through the api.
 */
@ApplicationModule(dependsOn = {"tenancy", "quota"})
package dev.steward.dispatch;

import dev.steward.shared.ApplicationModule;
