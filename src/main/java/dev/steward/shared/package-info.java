/**
 * What every module may use: ids, the request context, problem errors and logging with context.
 * Depends on nothing else in Steward. Unlike other modules it has no {@code internal} part.
 */
@ApplicationModule
package dev.steward.shared;
