package io.resquebus.support;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Captures what one logger writes during a test, instead of the console (a flood test would fill it).
 * Register with {@code @RegisterExtension}; the logger is restored after each test.
 */
public final class LogLines implements AfterEachCallback {

	private final Logger logger;

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	public LogLines(Class<?> type) {
		this.logger = (Logger) LoggerFactory.getLogger(type);
		this.appender.start();
		this.logger.addAppender(this.appender);
		this.logger.setAdditive(false);
	}

	/** The formatted messages logged at WARN so far. */
	public List<String> warnings() {
		return this.appender.list.stream()
			.filter((event) -> event.getLevel() == Level.WARN)
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

	@Override
	public void afterEach(ExtensionContext context) {
		this.logger.detachAppender(this.appender);
		this.logger.setAdditive(true);
	}

}
