package io.resquebus.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.resquebus.test.RecordingBusOperations;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;

/**
 * Replaces the bus in a {@code @SpringBootTest} with a {@link RecordingBusOperations} (the primary
 * {@code BusOperations} bean) that records what the application publishes, for
 * {@link io.resquebus.test.BusAssertions}. Needs no Redis: the driver, worker and scheduler runners,
 * the registration of subscriptions and the embedded Redis are switched off, so nothing connects
 * to Redis.
 *
 * <pre class="code">
 * &#64;SpringBootTest
 * &#64;AutoConfigureRecordingBus
 * class SignupTests {
 *
 * 	&#64;Autowired
 * 	RecordingBusOperations bus;
 *
 * 	&#64;Test
 * 	void publishesUserCreated() {
 * 		...
 * 		assertThat(this.bus).published("user_created").withAttribute("id", 42);
 * 	}
 *
 * }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
@PropertyMapping("resquebus.test.recording")
public @interface AutoConfigureRecordingBus {

	/**
	 * Whether each publish also runs the application's matching handlers in the publishing thread
	 * before it returns (a handler's exception reaches the publisher); a delayed event not yet due
	 * waits for {@link RecordingBusOperations#deliverDue()} or {@code deliverAll()}.
	 * Without it no handler runs at publish, {@code sync} subscribers included; they run when the
	 * test calls {@link RecordingBusOperations#deliverAll()}.
	 */
	boolean deliver() default false;

}
