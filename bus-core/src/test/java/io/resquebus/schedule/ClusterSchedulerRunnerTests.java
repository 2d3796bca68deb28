package io.resquebus.schedule;

import java.time.Duration;

import io.resquebus.support.TestBus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link SchedulerRunnerTests} on a local Redis Cluster: the same behaviour, every command in one slot.
 */
class ClusterSchedulerRunnerTests extends SchedulerRunnerTests {

	@Override
	TestBus newBus() {
		return TestBus.onCluster();
	}

	@Test
	void givesItsLeaseBackAtStopSoAnotherSchedulerNeedNotWaitForItToLapse() {
		String lease = this.bus.keys().schedulerLease();
		SchedulerRunner first = new SchedulerRunner(this.bus.redis(), this.bus.settings(), Duration.ofSeconds(1), 10);
		first.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> first.consumerId().equals(this.bus.template().opsForValue().get(lease)));
		}
		finally {
			first.stop();
		}
		assertThat(this.bus.template().hasKey(lease)).isFalse();
	}

	@Test
	void leavesALeaseHeldByAnotherSchedulerAlone() {
		String lease = this.bus.keys().schedulerLease();
		this.bus.template().opsForValue().set(lease, "someone-else", Duration.ofMinutes(1));
		SchedulerRunner scheduler = new SchedulerRunner(this.bus.redis(), this.bus.settings(), Duration.ofMillis(50), 10);
		scheduler.start();
		scheduler.stop();
		assertThat(this.bus.template().opsForValue().get(lease)).isEqualTo("someone-else");
	}

}
