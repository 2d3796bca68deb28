package io.resquebus.autoconfigure.runner;

import io.resquebus.runner.BusRunner;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * Runs the consumer threads of every bus runner (driver, worker, scheduler) on virtual threads
 * when {@code spring.threads.virtual.enabled=true} on Java 21 or later, as Boot does for its own
 * executors. Virtual threads do not keep the JVM alive: an application with nothing else to
 * keep it running sets {@code spring.main.keep-alive=true}.
 */
@AutoConfiguration(before = { BusDriverAutoConfiguration.class, BusWorkerAutoConfiguration.class,
		BusSchedulerAutoConfiguration.class })
@ConditionalOnThreading(Threading.VIRTUAL)
public final class BusVirtualThreadsAutoConfiguration {

	@Bean
	static BeanPostProcessor resqueBusVirtualThreads() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof BusRunner runner && runner.getThreadFactory() == null) {
					runner.setThreadFactory(new VirtualThreadTaskExecutor("resquebus-").getVirtualThreadFactory());
				}
				return bean;
			}

		};
	}

}
