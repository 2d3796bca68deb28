package io.resquebus.fault;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.lettuce.core.KillArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.resquebus.driver.StandaloneTransport;
import io.resquebus.publish.BusPublishException;
import io.resquebus.publish.BusPublishTimeoutException;
import io.resquebus.publish.BusTemplate;
import io.resquebus.publish.EventTransport;
import io.resquebus.publish.OutgoingEvent;
import io.resquebus.publish.QueuedTransport;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.support.DedicatedRedis;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.SubscriptionEntry;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Redis stops while the client keeps Lettuce's default 60 s command timeout (commands queue until
 * it reconnects): every kind of publish gives up after the publish timeout with an exception
 * naming the Redis address, the cancelled commands are never sent once Redis is back, and
 * publishing works again without restarting anything.
 */
class PublishTimeoutTests {

	private static final Duration TIMEOUT = Duration.ofMillis(500);

	/** A generous ceiling, far above the timeout, only so that a hang fails the test. */
	private static final Duration CEILING = Duration.ofSeconds(20);

	private final WireCodec codec = new WireCodec();

	@RegisterExtension
	final DedicatedRedis dedicated = new DedicatedRedis();

	@Test
	void everyPublishFailsWithinTheTimeoutWhileRedisIsDownAndWorksAgainOnceItIsBack() {
		assertThat(this.dedicated.redis().commandTimeout()).isEqualTo(Duration.ofSeconds(60));
		BusTemplate bus = queuedBus();
		bus.publish("warm_up", Map.of()); // the shared connection exists, so commands queue while Redis is away
		this.dedicated.server().stop();

		assertTimesOut(() -> bus.publish("during_outage", Map.of("n", 1)));
		assertTimesOut(() -> bus.publishAll(List.of(OutgoingEvent.of("during_outage", Map.of()),
				OutgoingEvent.of("during_outage", Map.of()))));
		assertTimesOut(() -> bus.publishAt(Instant.now().plusSeconds(3600), "during_outage", Map.of()));
		assertTimesOut(() -> bus.publishAt(Instant.now().minusSeconds(10), "during_outage", Map.of()));

		this.dedicated.server().start();
		String after = publishOnceRedisAnswers((type) -> bus.publish(type, Map.of()));
		String scheduled = publishOnceRedisAnswers(
				(type) -> bus.publishAt(Instant.now().plusSeconds(3600), type, Map.of()));

		assertThat(busIds(this.dedicated.template().opsForList().range(incoming(), 0, -1))).as("nothing from the outage")
			.containsExactly(after);
		String schedule = this.dedicated.settings().keys().delayedSchedule();
		assertThat(this.dedicated.template().opsForZSet().range(schedule, 0, -1)).hasSize(1);
		assertThat(this.dedicated.template().opsForList().range(this.dedicated.settings().keys().delayed(
				this.dedicated.template().opsForZSet().range(schedule, 0, -1).iterator().next()), 0,
				-1)).singleElement().asString().contains(scheduled);
	}

	@Test
	void standalonePublishFailsWithinTheTimeoutWhileRedisIsDownAndWorksAgainOnceItIsBack() {
		SubscriptionRegistry registry = new SubscriptionRegistry(this.dedicated.redis(),
				this.dedicated.settings().keys(), this.codec,
				Duration.ZERO, this.dedicated.settings().clock());
		SubscriptionEntry entry = new SubscriptionEntry("app_default", "app_created", JobClasses.RIDER,
				Map.of(BusAttributes.EVENT_TYPE, "created"));
		registry.subscribe("app", List.of(entry));
		EventTransport transport = new StandaloneTransport(this.dedicated.redis(), this.dedicated.settings(), registry,
				TIMEOUT);
		BusTemplate bus = new BusTemplate(this.dedicated.settings(), transport);
		bus.publish("created", Map.of());
		this.dedicated.server().stop();

		assertTimesOut(() -> bus.publish("created", Map.of("n", 1)));
		assertTimesOut(() -> bus.publishAll(List.of(OutgoingEvent.of("created", Map.of()))));

		this.dedicated.server().start(); // comes back empty: subscribe again
		publishOnceRedisAnswers((type) -> {
			registry.subscribe("app", List.of(entry));
			return type;
		});
		String after = publishOnceRedisAnswers((type) -> bus.publish("created", Map.of()));

		List<String> queued = this.dedicated.template()
			.opsForList()
			.range(this.dedicated.settings().keys().queue("app_default"), 0, -1);
		assertThat(busIds(queued)).as("nothing from the outage").containsExactly(after);
	}

	/**
	 * Redis stays up with the scripts it knows, but refuses the client's reconnection for a while,
	 * so the publish waits in the client's queue: had it not been cancelled, Lettuce would send it
	 * on reconnection and it would land.
	 */
	@Test
	void aPublishThatTimedOutWhileQueuedInTheClientIsNeverSentLater() throws Exception {
		BusTemplate bus = queuedBus();
		String before = bus.publish("warm_up", Map.of());
		LettuceConnectionFactory admin = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(this.dedicated.server().host(), this.dedicated.server().port()));
		admin.afterPropertiesSet();
		admin.start();
		try (RedisConnection connection = admin.getConnection()) {
			connection.serverCommands().setConfig("maxclients", "1");
			((RedisClusterAsyncCommands<?, ?>) connection.getNativeConnection())
				.clientKill(KillArgs.Builder.typeNormal().skipme())
				.get(10, TimeUnit.SECONDS);

			assertTimesOut(() -> bus.publish("during_outage", Map.of()));

			connection.serverCommands().setConfig("maxclients", "10000");
		}
		finally {
			admin.destroy();
		}
		String after = publishOnceRedisAnswers((type) -> bus.publish(type, Map.of()));
		assertThat(busIds(this.dedicated.template().opsForList().range(incoming(), 0, -1)))
			.as("cancelled command never sent")
			.containsExactly(before, after);
	}

	/**
	 * Redis is paused rather than down: the publish is written, times out, and Redis runs it once
	 * the pause ends, so it lands. Retrying under the {@code bus_id} the exception names lands the
	 * same event again, which subscribers recognise by that id instead of seeing a second event.
	 */
	@Test
	void aTimedOutPublishRetriedUnderItsBusIdReachesRedisAsTheSameEvent() throws Exception {
		BusTemplate bus = queuedBus();
		bus.publish("warm_up", Map.of());
		this.dedicated.template().delete(incoming());
		try (RedisConnection admin = this.dedicated.factory().getConnection()) {
			((RedisClusterAsyncCommands<?, ?>) admin.getNativeConnection()).clientPause(1500)
				.get(10, TimeUnit.SECONDS);
		}
		BusPublishTimeoutException ex = assertTimesOut(() -> bus.publish("paid", Map.of("order", 7)));
		String busId = ex.busId();
		assertThat(busId).isNotNull().isEqualTo(ex.busIds().get(0));
		assertThat(ex).hasMessageContaining(busId);

		String retried = publishOnceRedisAnswers((type) -> bus.publish("paid", Map.of("order", 7), busId));

		assertThat(retried).isEqualTo(busId);
		List<Object> landed = busIds(this.dedicated.template().opsForList().range(incoming(), 0, -1));
		System.out.printf("FAULT publish timeout under CLIENT PAUSE: firstTimedOut=true "
				+ "jobsOnIncoming=%d distinctBusIds=%d%n", landed.size(),
				landed.stream().distinct().count());
		assertThat(landed).as("the timed-out publish and its retry, one event").isNotEmpty().containsOnly(busId);
	}

	@Test
	void aBatchThatTimedOutNamesEveryBusIdItTried() {
		BusTemplate bus = queuedBus();
		bus.publish("warm_up", Map.of());
		this.dedicated.server().stop();
		BusPublishTimeoutException ex = assertTimesOut(() -> bus.publishAll(
				List.of(OutgoingEvent.of("a", Map.of()), OutgoingEvent.of("b", Map.of(BusAttributes.ID, "mine")))));
		assertThat(ex.busIds()).hasSize(2).endsWith("mine");
		assertThat(ex.busId()).isEqualTo(ex.busIds().get(0));
		BusPublishTimeoutException delayed = assertTimesOut(
				() -> bus.publishAt(Instant.now().plusSeconds(60), "later", Map.of(BusAttributes.ID, "later-1")));
		assertThat(delayed.busIds()).containsExactly("later-1");
	}

	private BusPublishTimeoutException assertTimesOut(Runnable publish) {
		BusPublishTimeoutException ex = assertTimeoutPreemptively(CEILING,
				() -> catchThrowableOfType(BusPublishTimeoutException.class, publish::run));
		assertThat(ex).isNotNull()
			.hasMessageContaining("Redis at " + this.dedicated.server().host() + ":" + this.dedicated.server().port())
			.hasMessageContaining("within the publish timeout of 500 ms");
		assertThat(ex.getTimeout()).isEqualTo(TIMEOUT);
		return ex;
	}

	/** Publishes until Redis takes it (the client reconnects with a back-off of its own). */
	private String publishOnceRedisAnswers(Function<String, String> publish) {
		String[] busId = new String[1];
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptionsInstanceOf(BusPublishException.class)
			.until(() -> (busId[0] = publish.apply("after_outage")) != null);
		return busId[0];
	}

	/** A template whose publishes go straight to the incoming queue, giving up after {@link #TIMEOUT}. */
	private BusTemplate queuedBus() {
		return new BusTemplate(this.dedicated.settings(),
				new QueuedTransport(this.dedicated.redis(), this.dedicated.settings(), TIMEOUT));
	}

	private String incoming() {
		return this.dedicated.settings().keys().queue(BusKeys.INCOMING_QUEUE);
	}

	private List<Object> busIds(List<String> jobs) {
		return jobs.stream().map((job) -> this.codec.parseJob(job).event().get(BusAttributes.ID)).toList();
	}

}
