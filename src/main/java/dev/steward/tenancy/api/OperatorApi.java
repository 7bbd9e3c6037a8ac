package dev.steward.tenancy.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a REST resource class as the platform operator's: it takes the operator token, never a tenant key. Every
 * other resource takes a tenant API key. Authentication is decided by the resource that matched, not by parsing the
 * request path, so path tricks (matrix parameters, encodings) cannot route around it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface OperatorApi {
}
