/**
 * The durable job queue: every unit of work is a row in {@code dispatch.jobs}, claimed with FOR UPDATE SKIP LOCKED
 * by priority tier and tenant turn, run by a worker under its tenant, retried with backoff, rescued when a lease
 * expires; the quota module admits each claimed job before it runs. Other modules register
 * {@link dev.steward.dispatch.api.JobHandler}s through the api.
 */
@ApplicationModule(dependsOn = {"tenancy", "quota"})
package dev.steward.dispatch;

import dev.steward.shared.ApplicationModule;
