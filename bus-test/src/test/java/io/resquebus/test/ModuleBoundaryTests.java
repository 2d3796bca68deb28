package io.resquebus.test;

import java.util.List;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.test.autoconfigure.RecordingBusAutoConfiguration;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The modules around bus-core keep off its {@code io.resquebus.internal} package, except where
 * declared: bus-test delivers recorded events in process with it, as a worker would.
 */
class ModuleBoundaryTests {

	/** The main classes of bus-spring-boot-autoconfigure and of bus-test. */
	private static final JavaClasses OUTSIDE_CORE = new ClassFileImporter()
		.importUrls(List.of(ResqueBusAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation(),
				RecordingBusOperations.class.getProtectionDomain().getCodeSource().getLocation()));

	@Test
	void importsBothModules() {
		assertThat(OUTSIDE_CORE.contain(ResqueBusAutoConfiguration.class)).isTrue();
		assertThat(OUTSIDE_CORE.contain(RecordingBusAutoConfiguration.class)).isTrue();
	}

	@Test
	void onlyDeclaredClassesUseTheInternalPackage() {
		noClasses().that()
			.doNotHaveFullyQualifiedName(RecordingBusOperations.class.getName())
			.and()
			.doNotHaveFullyQualifiedName(RecordingBusAutoConfiguration.class.getName())
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.resquebus.internal..")
			.check(OUTSIDE_CORE);
	}

}
