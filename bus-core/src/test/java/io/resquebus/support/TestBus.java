package io.resquebus.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.resquebus.BusIdGenerator;
import io.resquebus.BusSettings;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.resquebus.embedded.EmbeddedRedisCluster;
import io.resquebus.embedded.TestRedis;
import io.resquebus.redis.BusRedis;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A bus on the tests' own Redis under a namespace of its own, so tests never see each other's
 * keys and never flush anything: afterwards only the keys of that namespace are deleted.
 * Register with {@code @RegisterExtension}.
 */
public final class TestBus implements BeforeEachCallback, AfterEachCallback {

	/** The epoch second the golden files were written at. */
	public static final long GOLDEN_NOW = 1_700_000_000L;

	private static LettuceConnectionFactory connectionFactory;

	private static LettuceConnectionFactory clusterConnectionFactory;

	private static EmbeddedRedisCluster cluster;

	private final boolean onCluster;

	private String namespace;

	private BusRedis redis;

	private StringRedisTemplate template;

	/** A bus on the tests' own single Redis. */
	public TestBus() {
		this(false);
	}

	private TestBus(boolean onCluster) {
		this.onCluster = onCluster;
	}

	/**
	 * A bus on a local Redis Cluster (3 masters, 3 replicas) shared by every test of the JVM; tests
	 * are skipped when redis-cli is missing. Keys are left behind: the cluster dies with the JVM.
	 */
	public static TestBus onCluster() {
		return new TestBus(true);
	}

	/** The shared local cluster, started on first use. */
	public static synchronized EmbeddedRedisCluster cluster() {
		if (cluster == null) {
			cluster = EmbeddedRedisCluster.start();
		}
		return cluster;
	}

	private static synchronized LettuceConnectionFactory clusterConnectionFactory() {
		if (clusterConnectionFactory == null) {
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisClusterConfiguration(cluster().nodes()),
					LettuceClientConfiguration.builder()
						.clientOptions(ClusterClientOptions.builder()
							.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
								.enableAllAdaptiveRefreshTriggers()
								.enablePeriodicRefresh(Duration.ofSeconds(30))
								.build())
							.build())
						.build());
			factory.afterPropertiesSet();
			factory.start();
			clusterConnectionFactory = factory;
		}
		return clusterConnectionFactory;
	}

	private static synchronized LettuceConnectionFactory connectionFactory() {
		if (connectionFactory == null) {
			TestRedis.RedisEndpoint endpoint = TestRedis.shared();
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration(endpoint.host(), endpoint.port()));
			factory.afterPropertiesSet();
			factory.start();
			connectionFactory = factory;
		}
		return connectionFactory;
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		this.namespace = "test-" + UUID.randomUUID().toString().substring(0, 8);
		if (this.onCluster) {
			Assumptions.assumeTrue(EmbeddedRedisCluster.available(), "redis-server and redis-cli are needed for a cluster");
		}
		LettuceConnectionFactory factory = this.onCluster ? clusterConnectionFactory() : connectionFactory();
		this.redis = new BusRedis(factory);
		this.template = new StringRedisTemplate(factory);
	}

	@Override
	public void afterEach(ExtensionContext context) {
		if (this.onCluster) {
			return;
		}
		Set<String> keys = new TreeSet<>();
		for (String pattern : List.of(this.namespace + ":*", "{" + this.namespace + ":*")) {
			try (Cursor<String> cursor = this.template.scan(ScanOptions.scanOptions().match(pattern).count(500).build())) {
				cursor.forEachRemaining(keys::add);
			}
		}
		if (!keys.isEmpty()) {
			this.template.delete(keys);
		}
	}

	public String namespace() {
		return this.namespace;
	}

	public BusKeys keys() {
		return new BusKeys(this.namespace);
	}

	public BusRedis redis() {
		return this.redis;
	}

	public StringRedisTemplate template() {
		return this.template;
	}

	/** Settings under this test's namespace with the real clock. */
	public BusSettings settings() {
		return BusSettings.defaults().withKeys(keys()).withHostname("test-host");
	}

	/** Settings as the golden files were written: frozen clock, host {@code golden-host}, numbered ids. */
	public BusSettings goldenSettings(long epochSecond) {
		AtomicInteger sequence = new AtomicInteger();
		BusIdGenerator ids = (now) -> now + "-00000000-0000-4000-8000-" + String.format("%012d",
				sequence.incrementAndGet());
		return new BusSettings(keys(), new WireCodec(), "golden-host",
				Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC), ids);
	}

	public List<String> list(String key) {
		List<String> values = this.template.opsForList().range(key, 0, -1);
		return (values != null) ? values : new ArrayList<>();
	}

	public Map<Object, Object> hash(String key) {
		return this.template.opsForHash().entries(key);
	}

	public Set<String> members(String key) {
		Set<String> members = this.template.opsForSet().members(key);
		return (members != null) ? members : Set.of();
	}

	public String get(String key) {
		return this.template.opsForValue().get(key);
	}

	/** Writes a golden file's keys into this test's namespace. */
	public void load(Golden golden) {
		golden.keys().forEach((key, entry) -> entry.writeTo(this.template, golden.rename(key, this.namespace)));
	}

}
