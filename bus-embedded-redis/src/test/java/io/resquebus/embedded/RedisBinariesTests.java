package io.resquebus.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedisBinariesTests {

	@Test
	void everyMappedPlatformHasItsBinaryInTheEmbeddedRedisJar() {
		String[][] platforms = {
			{"Linux", "amd64"}, {"Linux", "aarch64"}, {"Linux", "i386"},
			{"Mac OS X", "x86_64"}, {"Mac OS X", "aarch64"}, {"Windows 11", "amd64"}};
		for (String[] platform : platforms) {
			String name = RedisBinaries.bundledResourceName(platform[0], platform[1]);

			assertThat(name).as("%s/%s", platform[0], platform[1]).isNotNull();
			assertThat(RedisBinaries.class.getResource("/" + name)).as(name).isNotNull();
		}
	}

	@Test
	void refusesTheBundledWindowsBinaryAsOlderThanTheBusNeeds() {
		String windows = RedisBinaries.bundledResourceName("Windows 11", "amd64");

		assertThatThrownBy(() -> RedisBinaries.requireRecentEnough(windows))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("is Redis 5.0, but the bus needs Redis 6.2 or later")
				.hasMessageContaining("-D" + RedisBinaries.PROPERTY);
	}

	@Test
	void acceptsTheBundledLinuxAndMacBinaries() {
		for (String[] platform : new String[][] {{"Linux", "amd64"}, {"Linux", "aarch64"}, {"Linux", "i386"},
				{"Mac OS X", "x86_64"}, {"Mac OS X", "aarch64"}}) {
			assertThatNoException().isThrownBy(() -> RedisBinaries.requireRecentEnough(
					RedisBinaries.bundledResourceName(platform[0], platform[1])));
		}
	}

	@Test
	void unknownPlatformsHaveNoBundledBinary() {
		assertThat(RedisBinaries.bundledResourceName("FreeBSD", "amd64")).isNull();
		assertThat(RedisBinaries.bundledResourceName("Linux", "riscv64")).isNull();
		assertThat(RedisBinaries.bundledResourceName("Windows 11", "aarch64")).isNull();
	}

	@Test
	void bundledBinaryIsExtractedOncePerJvm() {
		assertThat(RedisBinaries.bundled()).isEqualTo(RedisBinaries.bundled()).isExecutable();
	}
}
