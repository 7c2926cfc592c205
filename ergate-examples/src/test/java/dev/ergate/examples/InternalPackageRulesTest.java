package dev.ergate.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code dev.ergate.internal} is shared code of Ergate's own modules, not API. This module sees
 * every published module (runtime, testkit, the three adapters, the dashboard), so the rules run here over all
 * of them, and over the examples, which stand for user code.
 */
@DisplayName("dev.ergate.internal is used by Ergate's own modules only")
class InternalPackageRulesTest {

    private static final String INTERNAL = "dev.ergate.internal..";
    /** The packages of the modules allowed to use it. */
    private static final String[] ERGATE_MODULES = {
        "dev.ergate.internal..", "dev.ergate.runtime..", "dev.ergate.testkit..",
        "dev.ergate.redis..", "dev.ergate.sqs..", "dev.ergate.jdbc..", "dev.ergate.dashboard.."};

    private final JavaClasses ergate = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ergate");

    @Test
    @DisplayName("only the runtime, the testkit, the adapters and the dashboard depend on it")
    void onlyErgateModules() {
        noClasses().that().resideOutsideOfPackages(ERGATE_MODULES)
                .should().dependOnClassesThat().resideInAPackage(INTERNAL)
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
                .should().dependOnClassesThat().resideInAPackage(INTERNAL)
                .check(ergate);
    }
}
