package dev.steward.shared;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a top-level package under {@code dev.steward} as a module, on its {@code package-info.java}.
 *
 * <p>Other modules may use only its {@code api} package (and all of {@code shared}); the module itself may use
 * only the modules it names in {@link #dependsOn()}. {@code ModularityTest} checks the whole graph.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PACKAGE)
public @interface ApplicationModule {

    /** Names of the modules (top-level package names) this module may depend on; {@code shared} is implicit. */
    String[] dependsOn() default {};
}
