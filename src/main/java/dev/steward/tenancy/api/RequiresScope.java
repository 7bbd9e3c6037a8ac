package dev.steward.tenancy.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a tenant API resource method (or class): the caller's key must carry this scope, such as
 * {@code api-keys:write}; otherwise the request is answered 403. Every route under {@code /api/v1} needs a valid
 * key in any case.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresScope {
    String value();
}
