package io.resquebus.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.resquebus.BusEvent;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.publish.BusOperations;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * An app that writes orders to a real (H2) database through {@code @Transactional} methods and a
 * {@link DataSourceTransactionManager}, and publishes from inside those transactions.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableTransactionManagement
class TransactionalApp {

	@Bean(destroyMethod = "shutdown")
	org.springframework.jdbc.datasource.embedded.EmbeddedDatabase dataSource() {
		return new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2)
			.generateUniqueName(true)
			.addScript("classpath:io/resquebus/autoconfigure/orders.sql")
			.build();
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
	Orders orders(JdbcTemplate jdbc, BusOperations bus, org.springframework.context.ApplicationEventPublisher events) {
		return new Orders(jdbc, bus, events);
	}

	@Bean
	Handlers handlers(JdbcTemplate jdbc) {
		return new Handlers(jdbc);
	}

	/** What a test does inside the transaction after publishing, before the commit. */
	interface InTransaction {

		void run(String busId);

	}

	/** A Spring application event, turned into a bus event after the commit. */
	record OrderShipped(int id) {
	}

	static class Orders {

		private final JdbcTemplate jdbc;

		private final BusOperations bus;

		private final org.springframework.context.ApplicationEventPublisher events;

		Orders(JdbcTemplate jdbc, BusOperations bus, org.springframework.context.ApplicationEventPublisher events) {
			this.jdbc = jdbc;
			this.bus = bus;
			this.events = events;
		}

		@Transactional
		String place(int id, InTransaction then) {
			this.jdbc.update("insert into orders (id) values (?)", id);
			String busId = this.bus.publish("order_placed", Map.of("id", id));
			then.run(busId);
			return busId;
		}

		@Transactional
		String placeAndFail(int id) {
			this.jdbc.update("insert into orders (id) values (?)", id);
			this.bus.publish("order_placed", Map.of("id", id));
			throw new IllegalStateException("payment declined for order " + id);
		}

		@Transactional
		void ship(int id) {
			this.jdbc.update("insert into orders (id) values (?)", id);
			this.events.publishEvent(new OrderShipped(id));
		}

		/** As the seed's after_commit does: publishes once the order is committed. */
		@TransactionalEventListener
		void shipped(OrderShipped shipped) {
			this.bus.publish("order_shipped", Map.of("id", shipped.id()));
		}

		String placeWithoutTransaction(int id) {
			return this.bus.publish("order_placed", Map.of("id", id));
		}

	}

	static class Handlers {

		final List<String> log = new CopyOnWriteArrayList<>();

		private final JdbcTemplate jdbc;

		Handlers(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		/** Sees the uncommitted order: it runs on the caller's connection, in its transaction. */
		@BusSubscriber(value = "order_placed", sync = true)
		void reserve(BusEvent event) {
			Integer rows = this.jdbc.queryForObject("select count(*) from orders where id = ?", Integer.class,
					event.attributes().get("id"));
			this.log.add("reserve " + event.id() + " order=" + event.attributes().get("id") + " tx=" + TransactionSynchronizationManager.isActualTransactionActive()
					+ " rows=" + rows);
		}

		@BusSubscriber("order_placed")
		void notify(BusEvent event) {
			this.log.add("notify " + event.id());
		}

		@BusSubscriber("order_shipped")
		void ship(BusEvent event) {
			this.log.add("ship " + event.attributes().get("id"));
		}

	}

}
