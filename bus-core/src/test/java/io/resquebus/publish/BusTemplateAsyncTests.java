package io.resquebus.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.resquebus.BusSettings;
import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.RespPing;
import io.resquebus.embedded.TestRedis;
import io.resquebus.redis.BusRedis;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code publishAsync} completes with the bus_id once the event is in Redis and fails as
 * {@code publish} throws; asynchronous publishes share round trips and keep their order; concurrent
 * synchronous ones keep each thread's order and return only once stored.
 */
class BusTemplateAsyncTests {

	@RegisterExtension
	final TestBus bus = new TestBus();

	private final WireCodec codec = new WireCodec();

	@Test
	void completesWithTheBusIdOnceTheEventIsInRedis() throws Exception {
		BusTemplate template = new BusTemplate(this.bus.redis(), this.bus.settings());
		String busId = template.publishAsync("user_created", Map.of("id", 42)).get(10, TimeUnit.SECONDS);
		assertThat(busIds()).containsExactly(busId);
		assertThat(incoming().get(0)).containsEntry("id", 42).containsEntry(BusAttributes.EVENT_TYPE, "user_created");
		String objectId = template.publishAsync(OutgoingEvent.of("order_paid", Map.of())).get(10, TimeUnit.SECONDS);
		assertThat(busIds()).containsExactly(busId, objectId);
	}

	@Test
	void storesEventsPublishedFromOneThreadInOrderInFewerRoundTripsThanEvents() throws Exception {
		try (EmbeddedRedisServer server = TestRedis.dedicated()) {
			LettuceConnectionFactory factory = factory(server);
			try {
				BusTemplate template = new BusTemplate(new BusRedis(factory), this.bus.settings());
				template.publish("warm_up", Map.of());
				long before = BusTemplatePublishTests.pushes(server);
				List<CompletableFuture<String>> sent = new ArrayList<>();
				for (int i = 0; i < 2000; i++) {
					sent.add(template.publishAsync("counted", Map.of("i", i)));
				}
				List<String> ids = sent.stream().map(CompletableFuture::join).toList();
				assertThat(BusTemplatePublishTests.pushes(server) - before).as("pushes shared").isLessThan(2000);
				List<String> stored = new org.springframework.data.redis.core.StringRedisTemplate(factory).opsForList()
					.range(this.bus.keys().queue(BusKeys.INCOMING_QUEUE), 1, -1);
				assertThat(stored).extracting((job) -> this.codec.parseJob(job).event().get(BusAttributes.ID))
					.containsExactlyElementsOf(ids);
			}
			finally {
				factory.destroy();
			}
		}
	}

	@Test
	void concurrentPublishesReturnOnlyOnceStoredAndKeepEachThreadsOrder() throws Exception {
		BusTemplate template = new BusTemplate(this.bus.redis(), this.bus.settings());
		List<List<String>> published = Collections.synchronizedList(new ArrayList<>());
		List<String> missing = Collections.synchronizedList(new ArrayList<>());
		List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < 16; t++) {
			int thread = t;
			threads.add(new Thread(() -> {
				List<String> own = new ArrayList<>();
				try {
					for (int i = 0; i < 100; i++) {
						String busId = template.publish("concurrent", Map.of("thread", thread, "i", i));
						own.add(busId);
						if (i % 25 == 0 && !busIds().contains(busId)) {
							missing.add(busId);
						}
					}
				}
				catch (RuntimeException ex) {
					failures.add(ex);
				}
				published.add(own);
			}));
		}
		threads.forEach(Thread::start);
		for (Thread thread : threads) {
			thread.join(60_000);
		}
		assertThat(failures).isEmpty();
		assertThat(missing).as("returned before stored").isEmpty();
		assertThat(published).hasSize(16);
		List<String> stored = busIds();
		assertThat(stored).hasSize(1600);
		for (List<String> own : published) {
			assertThat(stored.stream().filter(own::contains).toList()).containsExactlyElementsOf(own);
		}
	}

	@Test
	void sendsTheScriptItselfWhenRedisNoLongerKnowsItsSha1() throws Exception {
		try (EmbeddedRedisServer server = TestRedis.dedicated()) {
			LettuceConnectionFactory factory = factory(server);
			try {
				BusTemplate template = new BusTemplate(new BusRedis(factory), this.bus.settings());
				String first = template.publishAsync("before_flush", Map.of()).get(10, TimeUnit.SECONDS);
				// a restarted or failed-over Redis has no scripts: EVALSHA answers NOSCRIPT
				assertThat(RespPing.command(server.host(), server.port(), Duration.ofSeconds(5), "SCRIPT", "FLUSH"))
					.isEqualTo("OK");
				String second = template.publishAsync("after_flush", Map.of()).get(10, TimeUnit.SECONDS);
				List<String> stored = new org.springframework.data.redis.core.StringRedisTemplate(factory).opsForList()
					.range(this.bus.keys().queue(BusKeys.INCOMING_QUEUE), 0, -1);
				assertThat(busIdsOf(stored)).containsExactly(first, second);
			}
			finally {
				factory.destroy();
			}
		}
	}

	@Test
	void failsWithTheExceptionPublishThrowsWhenRedisRefusesTheEvent() {
		this.bus.template().opsForValue().set(this.bus.keys().queue(BusKeys.INCOMING_QUEUE), "not a list");
		BusTemplate template = new BusTemplate(this.bus.redis(), this.bus.settings());
		Throwable thrown = catchThrowable(() -> template.publish("refused", Map.of()));
		Throwable completed = failure(template.publishAsync("refused", Map.of()));
		assertThat(thrown).isInstanceOf(BusPublishException.class).hasStackTraceContaining("WRONGTYPE");
		assertThat(completed).isInstanceOf(BusPublishException.class)
			.hasStackTraceContaining("WRONGTYPE")
			.hasMessageContaining("'refused'");
	}

	@Test
	void failsWithoutThrowingForAttributesRubyCannotReadAndWritesNothing() {
		BusTemplate template = new BusTemplate(this.bus.redis(), this.bus.settings());
		CompletableFuture<String> sent = template.publishAsync("user_created", Map.of("when", new Object()));
		assertThat(failure(sent)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object");
		assertThat(failure(template.publishAsync("", Map.of()))).isInstanceOf(IllegalArgumentException.class);
		assertThatIllegalArgumentException().isThrownBy(() -> template.publish("", Map.of()));
		assertThat(busIds()).isEmpty();
	}

	@Test
	void timesOutAsPublishDoesWhileRedisIsDownAndNeverSendsTheEventAfterwards() throws Exception {
		EmbeddedRedisServer server = TestRedis.dedicated();
		LettuceConnectionFactory factory = factory(server);
		try {
			BusSettings settings = this.bus.settings();
			BusTemplate template = new BusTemplate(settings,
					new QueuedTransport(new BusRedis(factory), settings, Duration.ofMillis(300)));
			template.publish("warm_up", Map.of());
			server.stop();
			List<CompletableFuture<String>> sent = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				sent.add(template.publishAsync("during_outage", Map.of("i", i)));
			}
			for (CompletableFuture<String> future : sent) {
				assertThat(failure(future)).isInstanceOf(BusPublishTimeoutException.class)
					.hasMessageContaining("publish timeout of 300 ms");
			}
			server.start();
			String after = null;
			for (int attempt = 0; attempt < 100 && after == null; attempt++) {
				try {
					after = template.publishAsync("after", Map.of()).get(10, TimeUnit.SECONDS);
				}
				catch (ExecutionException ex) {
					Thread.sleep(100);
				}
			}
			List<String> stored = new org.springframework.data.redis.core.StringRedisTemplate(factory).opsForList()
				.range(settings.keys().queue(BusKeys.INCOMING_QUEUE), 0, -1);
			assertThat(stored).extracting((job) -> this.codec.parseJob(job).event().get(BusAttributes.EVENT_TYPE))
				.as("nothing from the outage")
				.containsExactly("after");
		}
		finally {
			factory.destroy();
			server.close();
		}
	}

	private static Throwable failure(CompletableFuture<?> future) {
		try {
			future.get(20, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
		catch (Exception ex) {
			throw new AssertionError("No failure: " + ex, ex);
		}
		throw new AssertionError("Completed normally");
	}

	private static LettuceConnectionFactory factory(EmbeddedRedisServer server) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(server.host(), server.port()));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	private List<Object> busIdsOf(List<String> jobs) {
		return jobs.stream().map((job) -> this.codec.parseJob(job).event().get(BusAttributes.ID)).toList();
	}

	private List<String> busIds() {
		return busIdsOf(this.bus.list(this.bus.keys().queue(BusKeys.INCOMING_QUEUE))).stream()
			.map(String::valueOf)
			.toList();
	}

	private List<Map<String, Object>> incoming() {
		return this.bus.list(this.bus.keys().queue(BusKeys.INCOMING_QUEUE))
			.stream()
			.map((job) -> this.codec.parseJob(job).event())
			.toList();
	}

}
