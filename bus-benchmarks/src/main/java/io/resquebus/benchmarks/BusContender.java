package io.resquebus.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.resquebus.annotation.BusSubscriber;
import io.resquebus.publish.BusOperations;
import io.resquebus.publish.OutgoingEvent;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.SubscriptionEntry;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * This bus as an app uses it: minimal Spring Boot apps with the starter's defaults. A publishing
 * app (no driver, worker or scheduler, no subscribers) publishes through its {@link BusOperations};
 * each consumer app runs the default driver, worker and scheduler and one {@code @BusSubscriber}.
 */
final class BusContender implements Contender {

	private static final String NOISE_APP = "bench_noise";

	/** Where the apps find Redis: {@code spring.data.redis.*} properties, and a variant's own properties. */
	private final List<String> redisProperties;

	private final String name;

	private final ConfigurableApplicationContext publisher;

	private final BusOperations bus;

	private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

	BusContender(String redisHost, int redisPort) {
		this(List.of("spring.data.redis.host=" + redisHost, "spring.data.redis.port=" + redisPort));
	}

	/** Apps on the Redis the properties name, e.g. {@code spring.data.redis.cluster.nodes}. */
	BusContender(List<String> redisProperties) {
		this("ResqueBus", redisProperties);
	}

	/**
	 * A variant with its own properties besides the Redis ones, e.g. {@code resquebus.namespace} to
	 * keep its keys apart from another bus contender's.
	 */
	BusContender(String name, List<String> properties) {
		this.name = name;
		this.redisProperties = List.copyOf(properties);
		this.publisher = start(PublisherApp.class, "bench_publisher", "resquebus.driver.enabled=false",
				"resquebus.worker.enabled=false", "resquebus.scheduler.enabled=false");
		this.bus = this.publisher.getBean(BusOperations.class);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public void scaleTo(int apps) {
		while (this.apps.size() < apps) {
			this.apps.add(start(ConsumerApp.class, "bench_app_" + this.apps.size()));
		}
	}

	@Override
	public void publish(BenchEvent event) {
		this.bus.publish(BenchEvent.TYPE, event.attributes());
	}

	@Override
	public void publishAll(List<BenchEvent> events) {
		List<OutgoingEvent> outgoing = new ArrayList<>(events.size());
		for (BenchEvent event : events) {
			outgoing.add(OutgoingEvent.of(BenchEvent.TYPE, event.attributes()));
		}
		this.bus.publishAll(outgoing);
	}

	@Override
	public CompletableFuture<?> publishAsync(BenchEvent event) {
		return this.bus.publishAsync(BenchEvent.TYPE, event.attributes());
	}

	@Override
	public boolean routesByRegistry() {
		return true;
	}

	@Override
	public void noise(int subscriptions) {
		List<SubscriptionEntry> entries = new ArrayList<>(subscriptions);
		for (int i = 0; i < subscriptions; i++) {
			entries.add(new SubscriptionEntry(NOISE_APP + "_default", "Noise.n" + i, JobClasses.RIDER,
					Map.of("bus_event_type", "noise_" + i)));
		}
		this.publisher.getBean(SubscriptionRegistry.class).subscribe(NOISE_APP, entries);
	}

	@Override
	public void close() {
		this.apps.forEach(ConfigurableApplicationContext::close);
		this.publisher.close();
	}

	private ConfigurableApplicationContext start(Class<?> app, String appKey, String... properties) {
		List<String> all = new ArrayList<>(List.of(properties));
		all.add("resquebus.app-key=" + appKey);
		all.addAll(this.redisProperties);
		all.add("spring.data.redis.client-type=lettuce");
		all.add("spring.main.banner-mode=off");
		all.add("spring.main.log-startup-info=false");
		return new SpringApplicationBuilder(app).web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run();
	}

	/** The publishing app: no subscribers, no runners. */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class PublisherApp {

	}

	/** A consumer app: the starter's defaults and one subscriber. */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ConsumerApp {

		@Bean
		Subscriber benchSubscriber() {
			return new Subscriber();
		}

	}

	static class Subscriber {

		@BusSubscriber(BenchEvent.TYPE)
		void on(Map<String, Object> attributes) {
			Probe.delivered(((Number) Objects.requireNonNull(attributes.get("t"))).longValue());
		}

	}

}
