package io.resquebus.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.resquebus.embedded.TestRedis;
import io.resquebus.subscription.Match;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.wire.SubscriptionEntry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A web app with the dashboard on the tests' Redis, in a namespace of its own, and helpers that
 * seed Redis the way Ruby's gems write it.
 */
final class DashboardApp implements AutoCloseable {

	/** Spring Security is on this module's test classpath; apps "without" it leave these out. */
	static final String NO_SECURITY = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration";

	static final JsonMapper JSON = JsonMapper.builder().build();

	final String namespace = "test-dash-" + UUID.randomUUID().toString().substring(0, 8);

	final ConfigurableApplicationContext context;

	final StringRedisTemplate redis;

	DashboardApp(String... properties) {
		this(TestRedis.shared().url(), List.of(properties));
	}

	static DashboardApp onRedis(String redisUrl, String... properties) {
		return new DashboardApp(redisUrl, List.of(properties));
	}

	private DashboardApp(String redisUrl, List<String> properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "spring.data.redis.url=" + redisUrl,
				"resquebus.namespace=" + this.namespace, "resquebus.app-key=dash_app",
				"resquebus.worker.block-timeout=100ms", "resquebus.driver.block-timeout=100ms",
				// the tests set Resque's stats themselves: no minute heartbeat driven in between
				"resquebus.scheduler.heartbeat=false",
				"resquebus.dashboard.enabled=true", "resquebus.dashboard.poll-interval=300ms", NO_SECURITY));
		all.addAll(properties);
		this.context = new SpringApplicationBuilder(App.class).web(WebApplicationType.SERVLET)
			.properties(all.toArray(String[]::new))
			.run();
		this.redis = this.context.getBean(StringRedisTemplate.class);
	}

	String url() {
		int port = ((WebServerApplicationContext) this.context).getWebServer().getPort();
		return "http://127.0.0.1:" + port + "/resquebus/";
	}

	String key(String name) {
		return this.namespace + ":" + name;
	}

	/** Deletes every key of this app's namespace (SCAN, never KEYS). */
	void flush() {
		List<String> keys = new ArrayList<>();
		try (Cursor<String> cursor = this.redis.scan(ScanOptions.scanOptions().match(this.namespace + ":*").count(500).build())) {
			cursor.forEachRemaining(keys::add);
		}
		if (!keys.isEmpty()) {
			this.redis.delete(keys);
		}
	}

	/** Three apps: by event type, by regex, and by event type plus an attribute. */
	void subscribeOtherApps() {
		SubscriptionRegistry registry = this.context.getBean(SubscriptionRegistry.class);
		registry.subscribe("billing", List.of(new SubscriptionEntry("billing_default", "user_created", "::QueueBus::Rider",
				Map.of("bus_event_type", "user_created"))));
		registry.subscribe("audit", List.of(new SubscriptionEntry("audit_default", "every_user_event", "::QueueBus::Rider",
				Map.of("bus_event_type", Match.regex("user_.*")))));
		registry.subscribe("loyalty", List.of(new SubscriptionEntry("loyalty_default", "gold_signups", "::QueueBus::Rider",
				new LinkedHashMap<>(Map.of("bus_event_type", "user_created", "tier", "gold")))));
	}

	/** The failed entry Ruby's Resque 1.27 wrote in the golden dump, with some fields changed. */
	String rubyFailure(Map<String, Object> changes) {
		Map<String, Object> entry = goldenFailure();
		Map<String, Object> payload = new LinkedHashMap<>(castMap(entry.get("payload")));
		for (Map.Entry<String, Object> change : changes.entrySet()) {
			switch (change.getKey()) {
				case "class", "args" -> payload.put(change.getKey(), change.getValue());
				default -> entry.put(change.getKey(), change.getValue());
			}
		}
		entry.put("payload", payload);
		return JSON.writeValueAsString(entry);
	}

	void pushFailures(String... entries) {
		this.redis.opsForList().rightPushAll(key("failed"), entries);
	}

	void enqueue(String queue, String job) {
		this.redis.opsForSet().add(key("queues"), queue);
		this.redis.opsForList().rightPush(key("queue:" + queue), job);
	}

	List<String> list(String name) {
		return this.redis.opsForList().range(key(name), 0, -1);
	}

	/** The golden entry, read once. */
	private static final String GOLDEN_FAILURE = readGoldenFailure();

	@SuppressWarnings("unchecked")
	static Map<String, Object> goldenFailure() {
		return JSON.readValue(GOLDEN_FAILURE, LinkedHashMap.class);
	}

	@SuppressWarnings("unchecked")
	private static String readGoldenFailure() {
		try (InputStream in = DashboardApp.class.getResourceAsStream("/golden/16_failed.json")) {
			Map<String, Object> dump = JSON.readValue(in, LinkedHashMap.class);
			Map<String, Object> failed = castMap(castMap(dump.get("keys")).get("resque:failed"));
			return ((List<String>) failed.get("value")).get(0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> castMap(Object value) {
		return (Map<String, Object>) value;
	}

	@Override
	public void close() {
		flush();
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}
