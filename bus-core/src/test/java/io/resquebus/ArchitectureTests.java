package io.resquebus;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package layout a newcomer reads top-down (README, "How it works"): no package cycles, the
 * wire format at the bottom, the API types above it, Spring Boot nowhere in the core, and the
 * internal package used only where declared.
 */
class ArchitectureTests {

	/** The packages besides its own that may use {@code io.resquebus.internal} (bus-test included). */
	static final String[] USERS_OF_INTERNAL = { "io.resquebus.annotation..", "io.resquebus.dispatch..",
			"io.resquebus.publish..", "io.resquebus.test.." };

	/** bus-core's main classes: where BusEvent was loaded from (its classes directory or jar). */
	private static final JavaClasses CORE = new ClassFileImporter()
		.importUrl(BusEvent.class.getProtectionDomain().getCodeSource().getLocation());

	/** Each top-level package of io.resquebus is a slice; the root package is one of its own. */
	private static final SliceAssignment TOP_LEVEL_PACKAGES = new SliceAssignment() {

		@Override
		public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
			String name = javaClass.getPackageName();
			if (name.equals("io.resquebus")) {
				return SliceIdentifier.of("io.resquebus");
			}
			return name.startsWith("io.resquebus.") ? SliceIdentifier.of(name.split("\\.")[2])
					: SliceIdentifier.ignore();
		}

		@Override
		public String getDescription() {
			return "the top-level packages of io.resquebus";
		}

	};

	@Test
	void importsTheCoreClasses() {
		// a rule over no classes passes vacuously: make sure the import found the core
		assertThat(CORE.contain(BusEvent.class)).isTrue();
		assertThat(CORE.stream().map(JavaClass::getPackageName).distinct())
			.contains("io.resquebus.wire", "io.resquebus.runner", "io.resquebus.worker", "io.resquebus.internal");
	}

	@Test
	void packagesHaveNoCycles() {
		slices().assignedFrom(TOP_LEVEL_PACKAGES).should().beFreeOfCycles().check(CORE);
	}

	@Test
	void wireDependsOnNothingOfOurs() {
		noClasses().that()
			.resideInAPackage("io.resquebus.wire..")
			.should()
			.dependOnClassesThat(resideInAPackage("io.resquebus..").and(resideOutsideOfPackage("io.resquebus.wire..")))
			.check(CORE);
	}

	@Test
	void apiTypesDependOnlyOnTheWirePackage() {
		noClasses().that()
			.resideInAPackage("io.resquebus")
			.should()
			.dependOnClassesThat(resideInAPackage("io.resquebus..")
				.and(resideOutsideOfPackages("io.resquebus", "io.resquebus.wire..")))
			.check(CORE);
	}

	@Test
	void coreIsFreeOfSpringBoot() {
		noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework.boot..").check(CORE);
	}

	@Test
	void internalPackageIsUsedOnlyWhereDeclared() {
		String[] allowed = new String[USERS_OF_INTERNAL.length + 1];
		allowed[0] = "io.resquebus.internal..";
		System.arraycopy(USERS_OF_INTERNAL, 0, allowed, 1, USERS_OF_INTERNAL.length);
		classes().that().resideInAPackage("io.resquebus.internal..")
			.should()
			.onlyHaveDependentClassesThat()
			.resideInAnyPackage(allowed)
			.check(CORE);
	}

}
