package io.resquebus.driver;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.resquebus.BusSettings;
import io.resquebus.publish.BusTemplate;
import io.resquebus.publish.OutgoingEvent;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.runner.OrphanRecovery;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.KeySlots;
import io.resquebus.wire.SubscriptionEntry;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Partitions of {@code bus_incoming}: publishers spread their sends over them, a send's events
 * staying together, and drivers work every partition, each event driven exactly once.
 */
class IncomingPartitionsTests {

	@RegisterExtension
	final TestBus bus = newBus();

	/** The bus these tests run on; the cluster subclass runs them on a Redis Cluster. */
	TestBus newBus() {
		return new TestBus();
	}

	private final WireCodec codec = new WireCodec();

	private BusKeys keys;

	private BusSettings settings;

	private SubscriptionRegistry registry;

	@BeforeEach
	void subscribeAnAppOnThreePartitions() {
		this.keys = new BusKeys(this.bus.namespace(), 3);
		this.settings = this.bus.settings().withKeys(this.keys);
		this.registry = new SubscriptionRegistry(this.bus.redis(), this.keys, this.codec, Duration.ZERO,
				this.settings.clock());
		this.registry.subscribe("app_a", List.of(new SubscriptionEntry("app_a_default", "A.created", "QueueBus::Rider",
				Map.of("bus_event_type", "user_created"))));
	}

	@Test
	void namesThePartitionsFromTheNamespaceAndCountWithBusIncomingFirst() {
		List<String> incoming = this.keys.incomingQueues();
		assertThat(incoming).hasSize(3).startsWith(BusKeys.INCOMING_QUEUE).doesNotHaveDuplicates();
		assertThat(incoming).allMatch(BusKeys::isIncomingQueue);
		assertThat(incoming.subList(1, 3)).allMatch((name) -> name.matches("bus_incoming_p[12]_\\d+"));
		assertThat(new BusKeys(this.bus.namespace(), 3).incomingQueues()).isEqualTo(incoming);
		assertThat(new BusKeys(this.bus.namespace()).incomingQueues()).containsExactly(BusKeys.INCOMING_QUEUE);
		// Each a third of the way round the slots from bus_incoming's, give or take a few slots.
		int origin = slot(BusKeys.INCOMING_QUEUE);
		for (int k = 1; k < 3; k++) {
			int offset = Math.floorMod(slot(incoming.get(k)) - origin, KeySlots.SLOTS);
			assertThat(offset).as(incoming.get(k)).isBetween(k * KeySlots.SLOTS / 3 - 64, k * KeySlots.SLOTS / 3 + 64);
		}
	}

	@Test
	void spreadsSendsOverThePartitionsKeepingTheEventsOfOneSendTogether() {
		BusTemplate template = new BusTemplate(this.bus.redis(), this.settings);
		for (int i = 0; i < 6; i++) {
			template.publishAll(List.of(OutgoingEvent.of("user_created", Map.of("send", i, "n", 1)),
					OutgoingEvent.of("user_created", Map.of("send", i, "n", 2))));
		}
		for (String queue : this.keys.incomingQueues()) {
			List<String> jobs = this.bus.list(this.keys.queue(queue));
			assertThat(jobs).as(queue).hasSize(4);
			// Two whole sends: events 1 and 2 of one, then of another.
			assertThat(jobs).extracting((job) -> attribute(job, "n")).containsExactly("1", "2", "1", "2");
			assertThat(attribute(jobs.get(1), "send")).isEqualTo(attribute(jobs.get(0), "send"));
			assertThat(attribute(jobs.get(3), "send")).isEqualTo(attribute(jobs.get(2), "send"))
				.isNotEqualTo(attribute(jobs.get(0), "send"));
		}
		assertThat(this.bus.members(this.keys.queues())).containsAll(this.keys.incomingQueues());
	}

	@Test
	void drivesEveryEventOfEveryPartitionExactlyOnce() {
		BusTemplate template = new BusTemplate(this.bus.redis(), this.settings);
		Set<String> published = new HashSet<>();
		for (int i = 0; i < 30; i++) {
			published.add(template.publish("user_created", Map.of("n", i)));
		}
		for (int i = 0; i < 10; i++) {
			published.addAll(template.publishAll(List.of(OutgoingEvent.of("user_created", Map.of("batch", i)),
					OutgoingEvent.of("user_created", Map.of("batch", i)))));
		}
		for (String queue : this.keys.incomingQueues()) {
			assertThat(this.bus.list(this.keys.queue(queue))).as(queue).isNotEmpty();
		}
		DriverRunner driver = driver();
		driver.start();
		try {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> this.bus.list(this.keys.queue("app_a_default")).size() >= published.size());
			assertThat(driver.consumerIds()).hasSize(3)
				.allMatch((id) -> this.keys.incomingQueues().contains(OrphanRecovery.queuesOf(id).get(0)));
		}
		finally {
			driver.stop();
		}
		List<String> delivered = new ArrayList<>();
		for (String job : this.bus.list(this.keys.queue("app_a_default"))) {
			delivered.add(String.valueOf(this.codec.parseJob(job).event().get("bus_id")));
		}
		assertThat(delivered).hasSize(published.size()).containsExactlyInAnyOrderElementsOf(published);
		for (String queue : this.keys.incomingQueues()) {
			assertThat(this.bus.list(this.keys.queue(queue))).as(queue).isEmpty();
		}
		assertThat(this.bus.get(this.keys.statProcessed())).isEqualTo(String.valueOf(published.size()));
	}

	@Test
	void schedulesDelayedEventsOntoAPartition() {
		BusTemplate template = new BusTemplate(this.bus.redis(), this.settings);
		Instant due = Instant.now().plusSeconds(3600);
		for (int i = 0; i < 3; i++) {
			template.publishAt(due, "user_created", Map.of("n", i));
		}
		Set<String> queues = new HashSet<>();
		for (String item : this.bus.list(this.keys.delayed(due.getEpochSecond()))) {
			queues.add(String.valueOf(this.codec.readObject(item).get("queue")));
		}
		assertThat(queues).containsExactlyInAnyOrderElementsOf(this.keys.incomingQueues());
	}

	@Test
	void drivesTheEventsADeadDriverHeldInFlightOnAPartition() {
		String partition = this.keys.incomingQueues().get(2);
		String dead = "gone-host:4242-1:" + partition;
		String event = publishOne();
		this.bus.template().opsForSet().add(this.keys.consumers(), dead);
		this.bus.template().opsForList().rightPush(this.keys.inflight(partition, dead), event);
		int recovered = new OrphanRecovery(this.bus.redis(), this.settings,
				new ConsumerRegistry(this.bus.redis(), this.settings, Duration.ofSeconds(30)))
			.recover();
		assertThat(recovered).isOne();
		assertThat(this.bus.list(this.keys.queue(partition))).containsExactly(event);
		DriverRunner driver = driver();
		driver.start();
		try {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> this.bus.list(this.keys.queue("app_a_default")).size() == 1);
		}
		finally {
			driver.stop();
		}
		assertThat(this.bus.list(this.keys.queue(partition))).isEmpty();
		assertThat(this.bus.list(this.keys.inflight(partition, dead))).isEmpty();
	}

	/** An event's job as a publisher pushes it, taken back off {@code bus_incoming}: the test places it. */
	private String publishOne() {
		new BusTemplate(this.bus.redis(), this.bus.settings()).publish("user_created", Map.of("n", 1));
		return this.bus.template().opsForList().leftPop(this.bus.keys().queue(BusKeys.INCOMING_QUEUE));
	}

	private DriverRunner driver() {
		return new DriverRunner(this.bus.redis(), this.settings, this.registry, 10, Duration.ofMillis(200));
	}

	private int slot(String queue) {
		return KeySlots.slot(this.keys.queue(queue).getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	private String attribute(String job, String name) {
		return String.valueOf(this.codec.parseJob(job).event().get(name));
	}

}
