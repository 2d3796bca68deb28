package io.resquebus.autoconfigure.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.resquebus.BusEvent;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.publish.BusOperations;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.modulith.events.Externalized;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;

/**
 * An app with Spring Modulith's JDBC event publication registry on the database at
 * {@code outbox.test.jdbc-url} (H2), which writes orders in {@code @Transactional} methods and
 * publishes from inside them.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableTransactionManagement
public class OutboxApp {

	@Bean
	DataSource dataSource(Environment environment) {
		DriverManagerDataSource dataSource = new DriverManagerDataSource(
				environment.getRequiredProperty("outbox.test.jdbc-url"));
		new JdbcTemplate(dataSource).execute("create table if not exists orders (id int primary key)");
		return dataSource;
	}

	@Bean
	PlatformTransactionManager transactionManager(DataSource dataSource) {
		return new DataSourceTransactionManager(dataSource);
	}

	@Bean
	JdbcTemplate jdbcTemplate(DataSource dataSource) {
		return new JdbcTemplate(dataSource);
	}

	@Bean
	Orders orders(JdbcTemplate jdbc, BusOperations bus, ApplicationEventPublisher events) {
		return new Orders(jdbc, bus, events);
	}

	@Bean
	Deliveries deliveries() {
		return new Deliveries();
	}

	/** What a caller does inside the transaction after publishing, before the commit. */
	public interface InTransaction {

		void run(String busId);

	}

	/** A domain event that Spring Modulith externalizes to the bus as {@code order_shipped}. */
	@Externalized("order_shipped")
	public record OrderShipped(int id, String carrier) {
	}

	public static class Orders {

		private final JdbcTemplate jdbc;

		private final BusOperations bus;

		private final ApplicationEventPublisher events;

		Orders(JdbcTemplate jdbc, BusOperations bus, ApplicationEventPublisher events) {
			this.jdbc = jdbc;
			this.bus = bus;
			this.events = events;
		}

		@Transactional
		public String place(int id, InTransaction then) {
			this.jdbc.update("insert into orders (id) values (?)", id);
			String busId = this.bus.publish("order_placed", Map.of("id", id));
			then.run(busId);
			return busId;
		}

		@Transactional
		public String placeAndFail(int id, List<String> busIds) {
			this.jdbc.update("insert into orders (id) values (?)", id);
			busIds.add(this.bus.publish("order_placed", Map.of("id", id)));
			throw new IllegalStateException("payment declined for order " + id);
		}

		@Transactional
		public String remind(int id, Duration in) {
			this.jdbc.update("insert into orders (id) values (?)", id);
			return this.bus.publishIn(in, "order_reminder", Map.of("id", id));
		}

		@Transactional
		public void ship(int id) {
			this.jdbc.update("insert into orders (id) values (?)", id);
			this.events.publishEvent(new OrderShipped(id, "dhl"));
		}

		public String placeWithoutTransaction(int id) {
			return this.bus.publish("order_placed", Map.of("id", id));
		}

	}

	/** Every delivery to this app, as {@code "<event type> <bus_id> <id attribute>"}. */
	public static class Deliveries {

		final List<String> log = new CopyOnWriteArrayList<>();

		@BusSubscriber("order_placed")
		void placed(BusEvent event) {
			this.log.add("order_placed " + event.id() + " " + event.attributes().get("id"));
		}

		@BusSubscriber("order_reminder")
		void reminded(BusEvent event) {
			this.log.add("order_reminder " + event.id() + " " + event.attributes().get("id"));
		}

		@BusSubscriber("order_shipped")
		void shipped(BusEvent event) {
			this.log.add("order_shipped " + event.id() + " " + event.attributes().get("id") + " "
					+ event.attributes().get("carrier"));
		}

		long count(String eventType, String busId) {
			return this.log.stream().filter((entry) -> entry.startsWith(eventType + " " + busId + " ")).count();
		}

	}

}
