package dev.ergate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** ergate-api is what adapter authors compile against: it must stay small. */
class ApiDependencyRulesTest {

    private final JavaClasses api = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ergate");

    @Test
    @DisplayName("ergate-api depends on nothing but the JDK, Jackson and JSpecify")
    void onlyJdkJacksonAndJspecify() {
        classes().that().resideInAPackage("dev.ergate..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.ergate..", "java..", "com.fasterxml.jackson..", "org.jspecify..")
                .check(api);
    }

    @Test
    @DisplayName("the SPI does not reach into anything but the model")
    void spiUsesOnlyTheModel() {
        classes().that().resideInAPackage("dev.ergate.spi..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.ergate", "dev.ergate.spi..", "java..", "com.fasterxml.jackson..", "org.jspecify..")
                .check(api);
    }
}
