package dev.ergate.examples;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.ergate.Job;
import dev.ergate.internal.JobSteps;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code dev.ergate.internal} is shared code of Ergate's own modules, not API. This module sees
 * every published module (runtime, testkit, the three adapters, the dashboard), so the rules run here over all
 * of them, and over the examples, which stand for user code.
 *
 * <p>One bridge runs the other way: {@link Job} hands the runtime its step copies through
 * {@link JobSteps} (a private nested class implements {@code JobSteps.Access} and Job's class
 * initialiser installs it), so the runtime makes them without a builder and without new public
 * methods on Job. That is the only internal type the model may use, and only Job uses it.
 */
@DisplayName("dev.ergate.internal is used by Ergate's own modules only")
class InternalPackageRulesTest {

    private static final String INTERNAL = "dev.ergate.internal..";
    /** The packages of the modules allowed to use it. */
    private static final String[] ERGATE_MODULES = {
        "dev.ergate.internal..", "dev.ergate.runtime..", "dev.ergate.testkit..",
        "dev.ergate.redis..", "dev.ergate.sqs..", "dev.ergate.jdbc..", "dev.ergate.dashboard.."};

    /** An internal type other than the Job bridge. */
    private static final DescribedPredicate<JavaClass> INTERNAL_BUT_THE_JOB_BRIDGE =
            resideInAPackage(INTERNAL).and(not(belongToAnyOf(JobSteps.class)));

    private final JavaClasses ergate = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ergate");

    @Test
    @DisplayName("only the runtime, the testkit, the adapters and the dashboard depend on it")
    void onlyErgateModules() {
        noClasses().that().resideOutsideOfPackages(ERGATE_MODULES)
                .should().dependOnClassesThat(INTERNAL_BUT_THE_JOB_BRIDGE)
                .because("dev.ergate.internal is not API: it may change in any release")
                .check(ergate);
    }

    @Test
    @DisplayName("the examples, written as user code, don't")
    void notTheExamples() {
        noClasses().that().resideInAPackage("dev.ergate.examples..")
                .should().dependOnClassesThat().resideInAPackage(INTERNAL)
                .check(ergate);
    }

    @Test
    @DisplayName("the public API (model and SPI) does not expose it")
    void notThePublicApi() {
        noClasses().that().resideInAnyPackage("dev.ergate", "dev.ergate.spi..")
                .should().dependOnClassesThat(INTERNAL_BUT_THE_JOB_BRIDGE)
                .check(ergate);
    }

    @Test
    @DisplayName("the Job bridge is Job's alone, through a private class")
    void theJobBridgeIsJobsAlone() {
        noClasses().that(not(belongToAnyOf(Job.class))).and().resideOutsideOfPackages(ERGATE_MODULES)
                .should().dependOnClassesThat(belongToAnyOf(JobSteps.class))
                .check(ergate);
        classes().that().implement(JobSteps.Access.class).should().bePrivate().andShould().beNestedClasses()
                .check(ergate);
    }
}
