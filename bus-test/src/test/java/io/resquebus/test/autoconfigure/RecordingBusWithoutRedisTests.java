package io.resquebus.test.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.resquebus.publish.OutgoingEvent;
import io.resquebus.test.RecordingBusOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.resquebus.test.BusAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@link AutoConfigureRecordingBus}, nothing connects to the configured Redis (here a socket
 * that counts who connects to it) while the app starts, publishes and delivers.
 */
@SpringBootTest(classes = AutoConfigureRecordingBusTests.App.class, properties = "resquebus.app-key=no_redis_app")
@AutoConfigureRecordingBus
@DirtiesContext
class RecordingBusWithoutRedisTests {

	static final CountingServer server = CountingServer.start();

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:" + server.port());
	}

	@AfterAll
	static void stop() throws IOException {
		server.close();
	}

	@Autowired
	RecordingBusOperations bus;

	@Test
	void connectsToNoRedisWhilePublishingAndDelivering() {
		this.bus.publish("user_created", Map.of("id", 42));
		this.bus.publishAll(List.of(OutgoingEvent.of("user_created", Map.of())));
		this.bus.deliverAll();
		assertThat(this.bus).published("user_created", 2);
		assertThat(server.connections()).isZero();
	}

	/** Accepts connections on a free local port and counts them. */
	static final class CountingServer implements AutoCloseable {

		private final ServerSocket socket;

		private final AtomicInteger connections = new AtomicInteger();

		private CountingServer(ServerSocket socket) {
			this.socket = socket;
		}

		static CountingServer start() {
			try {
				CountingServer server = new CountingServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
				Thread acceptor = new Thread(server::accept, "counting-redis");
				acceptor.setDaemon(true);
				acceptor.start();
				return server;
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		private void accept() {
			while (!this.socket.isClosed()) {
				try (Socket ignored = this.socket.accept()) {
					this.connections.incrementAndGet();
				}
				catch (IOException ex) {
					// closed
				}
			}
		}

		int port() {
			return this.socket.getLocalPort();
		}

		int connections() {
			return this.connections.get();
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
