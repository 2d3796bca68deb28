package io.resquebus.test.autoconfigure;

import java.util.Map;

import io.resquebus.publish.BusOperations;
import io.resquebus.test.RecordingBusOperations;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static io.resquebus.test.BusAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@code @AutoConfigureRecordingBus(deliver = true)}: each publish runs the app's handlers before
 * it returns.
 */
@SpringBootTest(classes = AutoConfigureRecordingBusTests.App.class, properties = "resquebus.app-key=delivery_app")
@AutoConfigureRecordingBus(deliver = true)
class RecordingBusDeliveryTests {

	@Autowired
	BusOperations bus;

	@Autowired
	Handled handled;

	@Test
	void runsTheAppsHandlersBeforePublishReturns() {
		String busId = this.bus.publish("user_created", Map.of("id", 42));
		assertThat(this.handled.entries()).contains("userCreated:" + busId);
		assertThat(((RecordingBusOperations) this.bus).undelivered()).isEmpty();
	}

	@Test
	void letsAHandlersExceptionReachThePublisher() {
		assertThatIllegalStateException().isThrownBy(() -> this.bus.publish("user_deleted", Map.of("id", 1)))
			.withMessage("cannot delete users");
		assertThat(this.bus).published("user_deleted").withAttribute("id", 1);
	}

}
