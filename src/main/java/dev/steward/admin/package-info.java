/**
 * Admin: the server-rendered admin UI under {@code /admin} (templates and assets in {@code admin-ui/}) and the
 * accounts people sign in to it with: operators (the platform), tenant admins (one tenant), analysts (read-only).
 * Passwords are PBKDF2 hashes; repeated failures lock an account; sessions time out; every form carries a CSRF
 * token; every page carries security headers. Pages read through the other modules' {@code api}s.
 */
@ApplicationModule(dependsOn = {"tenancy", "audit", "orchestration", "dispatch", "agents", "models", "quota", "tools", "sessions", "billing"})
package dev.steward.admin;

import dev.steward.shared.ApplicationModule;
