package dev.steward.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.steward.shared.ApplicationModule;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of docs/architecture.md, checked on the compiled classes. Each top-level package under
 * {@code dev.steward} is a module declared by {@link ApplicationModule} on its package-info: it may use another
 * module only if it declares the dependency, and then only that module's {@code api} package; {@code shared} is
 * open to all. Entities and SQL stay inside the module that owns them.
 */
class ModularityTest {

    private static final String ROOT = "dev.steward";
    private static final String ADMISSION_CONTROL = "dev.steward.quota.api.AdmissionControl";
    private static JavaClasses classes;
    private static Map<String, Set<String>> declared;

    @BeforeAll
    static void importClasses() throws ClassNotFoundException {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
        declared = new TreeMap<>();
        for (JavaClass javaClass : classes) {
            String module = moduleOf(javaClass).orElse(null);
            if (module != null && !declared.containsKey(module)) {
                Package pkg = Class.forName(ROOT + "." + module + ".package-info").getPackage();
                ApplicationModule annotation = pkg.getAnnotation(ApplicationModule.class);
                if (annotation == null) {
                    throw new AssertionError("package " + ROOT + "." + module + " lacks @ApplicationModule");
                }
                declared.put(module, new HashSet<>(Arrays.asList(annotation.dependsOn())));
            }
        }
    }

    @Test
    void modulesAreDeclared() {
        assertFalse(declared.isEmpty());
        declared.forEach((module, dependencies) -> dependencies.forEach(dependency -> {
            if (!declared.containsKey(dependency)) {
                throw new AssertionError(module + " declares a dependency on unknown module " + dependency);
            }
        }));
    }

    @Test
    void modulesUseOnlyDeclaredModulesThroughTheirApi() {
        classes().should(new ArchCondition<>("use other modules only through the api of declared dependencies") {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                String from = moduleOf(javaClass).orElse(null);
                if (from == null) {
                    return;
                }
                for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
                    JavaClass target = dependency.getTargetClass();
                    String to = moduleOf(target).orElse(null);
                    if (to == null || to.equals(from) || to.equals("shared")) {
                        continue;
                    }
                    boolean allowed = declared.get(from).contains(to)
                            && target.getPackageName().startsWith(ROOT + "." + to + ".api");
                    if (!allowed) {
                        events.add(SimpleConditionEvent.violated(dependency, from + " -> " + to + ": "
                                + dependency.getDescription()));
                    }
                }
            }
        }).check(classes);
    }

    @Test
    void modulesHaveNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void sharedDependsOnNoOtherModule() {
        noClasses().that().resideInAPackage(ROOT + ".shared..")
                .should().dependOnClassesThat().resideInAnyPackage(otherModulesThan("shared"))
                .check(classes);
    }

    @Test
    void entitiesStayInternal() {
        classes().that().areAnnotatedWith(jakarta.persistence.Entity.class)
                .should().resideInAPackage(ROOT + ".*.internal..")
                .andShould().notBePublic()
                .check(classes);
    }

    @Test
    void persistenceAndSqlStayInternal() {
        noClasses().that().resideInAPackage(ROOT + ".*.api..").or().resideInAPackage(ROOT + ".shared..")
                .and().doNotHaveFullyQualifiedName(ADMISSION_CONTROL)
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.persistence..", "java.sql..",
                        "javax.sql..", "org.hibernate..", "org.flywaydb..")
                .check(classes);
    }

    /**
     * The one exception: admission runs inside the dispatcher's claim, in its transaction on its own connection
     * (outside JTA), so it takes that connection, and nothing else of JDBC.
     */
    @Test
    void admissionTakesTheClaimsConnectionAndNothingElseOfPersistence() {
        noClasses().that().haveFullyQualifiedName(ADMISSION_CONTROL)
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAnyPackage("jakarta.persistence..",
                        "java.sql..", "javax.sql..", "org.hibernate..", "org.flywaydb..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.type(java.sql.Connection.class))))
                .check(classes);
    }

    @Test
    void apiPackagesDoNotReachIntoInternals() {
        noClasses().that().resideInAPackage(ROOT + ".*.api..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".*.internal..")
                .check(classes);
    }

    @Test
    void operatorResourcesAreMarkedAndOnlyThey() {
        classes().that().areAnnotatedWith(jakarta.ws.rs.Path.class)
                .should(new ArchCondition<>("be @OperatorApi exactly when under api/v1/admin") {
                    @Override
                    public void check(JavaClass resource, ConditionEvents events) {
                        String path = resource.getAnnotationOfType(jakarta.ws.rs.Path.class).value()
                                .replaceFirst("^/", "");
                        boolean adminPath = path.startsWith("api/v1/admin");
                        boolean marked = resource.isAnnotatedWith(dev.steward.tenancy.api.OperatorApi.class);
                        if (adminPath != marked) {
                            events.add(SimpleConditionEvent.violated(resource, resource.getName() + " at " + path
                                    + (marked ? " is @OperatorApi outside api/v1/admin" : " lacks @OperatorApi")));
                        }
                    }
                }).check(classes);
    }

    private static String[] otherModulesThan(String module) {
        return declared.keySet().stream().filter(m -> !m.equals(module)).map(m -> ROOT + "." + m + "..")
                .toArray(String[]::new);
    }

    private static Optional<String> moduleOf(JavaClass javaClass) {
        String pkg = javaClass.getPackageName();
        if (!pkg.startsWith(ROOT + ".")) {
            return Optional.empty();
        }
        String rest = pkg.substring(ROOT.length() + 1);
        int dot = rest.indexOf('.');
        return Optional.of(dot < 0 ? rest : rest.substring(0, dot));
    }
}
