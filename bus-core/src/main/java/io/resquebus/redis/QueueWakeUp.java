package io.resquebus.redis;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.resquebus.wire.BusKeys;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Wakes idle size-checked fetchers as soon as something is written to one of their queues, through
 * Redis client-side caching in broadcast mode: one connection per bus (RESP3) runs
 * {@code CLIENT TRACKING ON BCAST PREFIX <queue key>...} for the queues its fetchers consume (and
 * only those: every write to a tracked prefix costs Redis work for each connection tracking it, so
 * a namespace-wide prefix would make every app pay for every other app's queues), so Redis pushes
 * the name of every such queue key written by anyone (a Ruby or Java publisher, a driver, a job
 * handed back), without reading it. Redis refuses overlapping prefixes on one connection, so a
 * queue key that begins with another tracked one (the partitions of {@code bus_incoming}) is covered
 * by the shorter. A fetcher that found its queues empty parks until such a push or its fallback pause
 * ends, whichever comes first; no job leaves Redis unchecked, as the fetch script still takes it.
 * <p>
 * The server forgets tracking when the connection drops: a check every second (and at once when a
 * fetcher brings new queues) re-enables it when the connection no longer tracks (Lettuce reconnected)
 * or tracks other queues, and then wakes every fetcher, so a missed push costs at most the fallback
 * pause. Off (fetchers only pause) in cluster mode, where broadcast tracking is per node, without
 * Lettuce, and with Lettuce forced to RESP2.
 */
public final class QueueWakeUp implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(QueueWakeUp.class);

	private static final long CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final @Nullable LettuceConnectionFactory factory;

	private final Map<String, Signal> signals = new ConcurrentHashMap<>();

	/** The prefixes the connection tracks now; empty when it does not track. */
	private List<String> armed = List.of();

	/** Whether the connection tracks the queues of every signal now: pushes can be relied on. */
	private volatile boolean tracking;

	private @Nullable RedisClient client;

	/** Tells at once when the connection drops (its tracking with it): fetchers then pause briefly again. */
	private final RedisConnectionStateListener dropped = new RedisConnectionStateListener() {

		@Override
		public void onRedisDisconnected(RedisChannelHandler<?, ?> channel) {
			if (channel == QueueWakeUp.this.connection) {
				QueueWakeUp.this.tracking = false;
				QueueWakeUp.this.signals.values().forEach(Signal::wake);
			}
		}

		@Override
		public void onRedisConnected(RedisChannelHandler<?, ?> channel, SocketAddress address) {
			Thread thread = QueueWakeUp.this.thread;
			if (channel == QueueWakeUp.this.connection && thread != null) {
				LockSupport.unpark(thread); // tracking again now, not at the next check
			}
		}

	};

	private final AtomicLong arms = new AtomicLong();

	private volatile boolean running;

	private boolean closed;

	private volatile @Nullable Thread thread;

	private volatile @Nullable StatefulRedisConnection<byte[], byte[]> connection;

	private QueueWakeUp(@Nullable LettuceConnectionFactory factory, BusKeys keys) {
		this.factory = factory;
	}

	/**
	 * A wake-up for the bus's queues, inactive (fetchers only pause) where Redis or the client
	 * cannot track keys: a cluster, a factory other than Lettuce's, Lettuce forced to RESP2.
	 */
	public static QueueWakeUp of(BusRedis redis, BusKeys keys) {
		return new QueueWakeUp(supported(redis) ? (LettuceConnectionFactory) redis.connectionFactory() : null, keys);
	}

	private static boolean supported(BusRedis redis) {
		if (!(redis.connectionFactory() instanceof LettuceConnectionFactory lettuce) || lettuce.isClusterAware()) {
			return false;
		}
		AbstractRedisClient client = lettuce.getNativeClient();
		return client == null || client.getOptions().getProtocolVersion() == ProtocolVersion.RESP3;
	}

	/** Whether this wake-up may wake fetchers at all. */
	public boolean isActive() {
		return this.factory != null;
	}

	/**
	 * Whether Redis pushes the writes to every queue of the signals given out so far: idle fetchers may
	 * then pause as long as their block timeout, since a write wakes them; otherwise briefly.
	 */
	boolean isTracking() {
		return this.tracking;
	}

	/** How many times tracking was enabled (once per connection to Redis), for tests and diagnostics. */
	public long arms() {
		return this.arms.get();
	}

	/**
	 * The signals of the given queues, empty when inactive. The first call starts the wake-up: an
	 * app that only publishes, or whose consumers block (no size limit), never opens its connection.
	 */
	List<Signal> signals(List<String> queueKeys) {
		if (!isActive()) {
			return List.of();
		}
		start();
		boolean added = false;
		for (String key : queueKeys) {
			added |= this.signals.putIfAbsent(key, new Signal()) == null;
		}
		if (added) {
			this.tracking = false; // not for the new queues yet
			Thread thread = this.thread;
			if (thread != null) {
				LockSupport.unpark(thread); // tracks the new queues now, not at the next check
			}
		}
		return queueKeys.stream().map(this.signals::get).toList();
	}

	/**
	 * The prefixes to track for these queue keys: each key, unless another key of them begins it
	 * (Redis refuses overlapping prefixes on one connection; the shorter covers the longer).
	 */
	static List<String> prefixes(Collection<String> queueKeys) {
		List<String> sorted = new ArrayList<>(new TreeSet<>(queueKeys));
		List<String> prefixes = new ArrayList<>(sorted.size());
		for (String key : sorted) {
			// Sorted, a key that begins with a kept prefix comes right after that prefix's run.
			if (prefixes.isEmpty() || !key.startsWith(prefixes.get(prefixes.size() - 1))) {
				prefixes.add(key);
			}
		}
		return List.copyOf(prefixes);
	}

	/** Starts the thread that connects, enables tracking and re-enables it after reconnects, unless closed. */
	public synchronized void start() {
		if (!isActive() || this.running || this.closed) {
			return;
		}
		this.running = true;
		Thread thread = new Thread(this::run, "resquebus-wake-up");
		thread.setDaemon(true);
		this.thread = thread;
		thread.start();
	}

	@Override
	public void close() {
		Thread thread;
		synchronized (this) {
			this.running = false;
			this.closed = true;
			thread = this.thread;
			this.thread = null;
		}
		if (thread != null) {
			LockSupport.unpark(thread);
			try {
				thread.join(TimeUnit.SECONDS.toMillis(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.signals.values().forEach(Signal::wake);
	}

	private void run() {
		try {
			while (this.running) {
				try {
					check();
				}
				catch (RuntimeException ex) {
					// Redis away: fetchers pause meanwhile; the next check tries again.
					this.tracking = false;
					logger.debug("Queue wake-up not armed: {}", BusRedis.explain(ex));
				}
				LockSupport.parkNanos(CHECK_NANOS);
			}
		}
		finally {
			this.tracking = false;
			RedisClient client = this.client;
			if (client != null) {
				client.removeListener(this.dropped);
			}
			StatefulRedisConnection<byte[], byte[]> connection = this.connection;
			this.connection = null;
			// At shutdown the factory usually stopped first and closed it: closing again only logs a WARN.
			if (connection != null && !(connection instanceof RedisChannelHandler<?, ?> handler && handler.isClosed())) {
				connection.closeAsync();
			}
		}
	}

	/** Connects if needed, and enables tracking on a connection that does not track (new, or reconnected). */
	private void check() {
		StatefulRedisConnection<byte[], byte[]> connection = this.connection;
		LettuceConnectionFactory factory = this.factory;
		if (connection == null && factory != null) {
			if (!(factory.getNativeClient() instanceof RedisClient client)) {
				return; // not started yet
			}
			if (this.client == null) {
				client.addListener(this.dropped);
				this.client = client;
			}
			connection = client.connect(ByteArrayCodec.INSTANCE);
			connection.addListener(this::pushed);
			this.connection = connection;
		}
		if (connection == null) {
			return;
		}
		List<String> wanted = prefixes(this.signals.keySet());
		if (wanted.isEmpty()) {
			return;
		}
		if (!wanted.equals(this.armed)) {
			// Other queues: tracking starts over with the new set (writes meanwhile wake everyone below).
			this.armed = List.of();
			connection.sync().clientTracking(TrackingArgs.Builder.enabled(false));
		}
		// Asking again is the check: a connection that still tracks refuses its prefixes as duplicates.
		try {
			connection.sync()
				.clientTracking(TrackingArgs.Builder.enabled().bcast().prefixes(wanted.toArray(String[]::new)));
		}
		catch (RedisCommandExecutionException ex) {
			if (String.valueOf(ex.getMessage()).contains("overlaps")) {
				this.tracking = connection.isOpen();
				return;
			}
			throw ex;
		}
		this.armed = wanted;
		this.tracking = connection.isOpen();
		this.arms.incrementAndGet();
		// A new connection (Lettuce reconnected): writes since the last one dropped went unseen.
		this.signals.values().forEach(Signal::wake);
	}

	private void pushed(PushMessage message) {
		if (!"invalidate".equals(message.getType())) {
			return;
		}
		List<Object> content = message.getContent(ByteBuffer::duplicate);
		if (content.size() < 2 || !(content.get(1) instanceof List<?> keys)) {
			this.signals.values().forEach(Signal::wake); // a flush: every key is gone
			return;
		}
		for (Object key : keys) {
			if (key instanceof ByteBuffer buffer) {
				Signal signal = this.signals.get(StandardCharsets.UTF_8.decode(buffer).toString());
				if (signal != null) {
					signal.wake();
				}
			}
		}
	}

	/** What parked fetchers of one queue wait on: a count of the writes seen, and the waiting threads. */
	static final class Signal {

		private final AtomicLong writes = new AtomicLong();

		private final Set<Thread> waiters = ConcurrentHashMap.newKeySet();

		long writes() {
			return this.writes.get();
		}

		void wake() {
			this.writes.incrementAndGet();
			this.waiters.forEach(LockSupport::unpark);
		}

		/** Parks for at most the given time unless the writes seen on these signals differ from {@code seen}. */
		static boolean park(List<Signal> signals, long seen, long nanos) {
			Thread current = Thread.currentThread();
			signals.forEach((signal) -> signal.waiters.add(current));
			try {
				if (sum(signals) != seen) {
					return true;
				}
				LockSupport.parkNanos(nanos);
				return sum(signals) != seen;
			}
			finally {
				signals.forEach((signal) -> signal.waiters.remove(current));
			}
		}

		static long sum(List<Signal> signals) {
			long sum = 0;
			for (Signal signal : signals) {
				sum += signal.writes();
			}
			return sum;
		}

	}

}
