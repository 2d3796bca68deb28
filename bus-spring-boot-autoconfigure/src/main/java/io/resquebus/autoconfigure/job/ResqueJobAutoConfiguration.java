package io.resquebus.autoconfigure.job;

import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.hook.NamedInterceptor;
import io.resquebus.job.JobOperations;
import io.resquebus.job.ResqueJobAnnotationBeanPostProcessor;
import io.resquebus.job.ResqueJobHook;
import io.resquebus.job.ResqueJobRunner;
import io.resquebus.job.ResqueJobs;
import io.resquebus.job.ResqueTemplate;
import io.resquebus.redis.BusRedis;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.util.function.SingletonSupplier;

/**
 * Plain Resque jobs: the {@link JobOperations} bean ({@link ResqueTemplate}) on Redis,
 * {@code @ResqueJob} scanning into the {@link ResqueJobs} bean, and the {@link ResqueJobRunner} the
 * worker runs them with, inside the bus's interceptors and with the {@link ResqueJobHook} beans.
 */
@AutoConfiguration(after = ResqueBusAutoConfiguration.class)
@ConditionalOnBean(BusSettings.class)
@EnableConfigurationProperties(ResqueJobProperties.class)
public final class ResqueJobAutoConfiguration {

	@Bean
	static ResqueJobAnnotationBeanPostProcessor resqueJobAnnotationBeanPostProcessor() {
		return new ResqueJobAnnotationBeanPostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean
	ResqueJobs resqueJobs(ResqueJobProperties properties) {
		ResqueJobs jobs = new ResqueJobs();
		jobs.setUnknownJobs(properties.getUnknownJobs());
		return jobs;
	}

	@Bean
	@ConditionalOnMissingBean(JobOperations.class)
	@ConditionalOnBean(BusRedis.class)
	ResqueTemplate resqueTemplate(BusRedis redis, BusSettings settings) {
		return new ResqueTemplate(redis, settings);
	}

	/** The interceptors and hooks are looked up at the first job, once every bean exists. */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(BusRedis.class)
	ResqueJobRunner resqueJobRunner(BusSettings settings, ResqueJobs jobs, ListableBeanFactory beanFactory,
			ObjectProvider<ResqueJobHook> hooks) {
		return new ResqueJobRunner(settings, jobs, SingletonSupplier.of(() -> NamedInterceptor.beansOf(beanFactory)),
				SingletonSupplier.of(() -> hooks.orderedStream().toList()));
	}

}
