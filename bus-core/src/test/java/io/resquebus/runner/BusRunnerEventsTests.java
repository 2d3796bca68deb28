package io.resquebus.runner;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.resquebus.support.TestBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.RedisConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A runner tells the application context when it starts, stops, is paused or resumed and when a
 * consumer dies, and a failing listener does not harm it.
 */
class BusRunnerEventsTests {

	@RegisterExtension
	final TestBus bus = new TestBus();

	private final List<Object> events = new CopyOnWriteArrayList<>();

	@Test
	void publishesStartPauseResumeAndStopInOrder() {
		BusRunner runner = runner(new AtomicInteger(), -1);
		runner.setApplicationEventPublisher(this.events::add);
		runner.start();
		runner.pause(Duration.ofMinutes(1));
		runner.resume();
		runner.stop();
		assertThat(this.events).extracting((event) -> event.getClass().getSimpleName())
			.containsExactly("BusRunnerStartedEvent", "BusRunnerPausedEvent", "BusRunnerResumedEvent",
					"BusRunnerStoppedEvent");
		BusRunnerStartedEvent started = (BusRunnerStartedEvent) this.events.get(0);
		assertThat(started.getRunner()).isSameAs(runner);
		assertThat(started.getRunnerName()).isEqualTo("events-runner");
		assertThat(started.getConsumers()).isEqualTo(2);
		assertThat(((BusRunnerPausedEvent) this.events.get(1)).getDuration()).isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void publishesTheDeathOfAConsumerWithItsCauseAndKeepsRunning() {
		AtomicInteger polls = new AtomicInteger();
		BusRunner runner = runner(polls, 3);
		runner.setApplicationEventPublisher((event) -> {
			this.events.add(event);
			throw new IllegalStateException("listener failed");
		});
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> this.events.stream().anyMatch(BusConsumerDiedEvent.class::isInstance));
			BusConsumerDiedEvent died = this.events.stream()
				.filter(BusConsumerDiedEvent.class::isInstance)
				.map(BusConsumerDiedEvent.class::cast)
				.findFirst()
				.orElseThrow();
			assertThat(died.getConsumer()).startsWith("events-runner-");
			assertThat(died.getCause()).isInstanceOf(AssertionError.class).hasMessage("handler bug");
			assertThat(died.getRestartIn()).isPositive();
			int before = polls.get();
			await().atMost(Duration.ofSeconds(20)).until(() -> polls.get() > before + 10);
			assertThat(runner.isRunning()).isTrue();
		}
		finally {
			runner.stop();
		}
	}

	/** A runner whose poll number {@code dyingPoll} throws an Error (-1 for none). */
	private BusRunner runner(AtomicInteger polls, int dyingPoll) {
		return new BusRunner(this.bus.redis(), "events-runner") {

			@Override
			protected int consumers() {
				return 2;
			}

			@Override
			protected void poll(int consumer, RedisConnection connection) {
				if (polls.incrementAndGet() == dyingPoll) {
					throw new AssertionError("handler bug");
				}
				java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
			}

		};
	}

}
