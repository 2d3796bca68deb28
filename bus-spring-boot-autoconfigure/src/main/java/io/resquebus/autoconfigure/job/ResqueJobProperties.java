package io.resquebus.autoconfigure.job;

import io.resquebus.job.ResqueJobs.UnknownJobs;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Plain Resque jobs ({@code @ResqueJob} handlers, {@code JobOperations}).
 */
@ConfigurationProperties("resquebus.jobs")
public class ResqueJobProperties {

	/**
	 * What the worker does with a plain Resque job whose class no handler of this app performs:
	 * "fail" (Resque's way: the failed list, with the class named) or "leave" (handed back to the
	 * head of its queue for a Ruby worker, never run nor failed).
	 */
	private UnknownJobs unknownJobs = UnknownJobs.FAIL;

	public UnknownJobs getUnknownJobs() {
		return this.unknownJobs;
	}

	public void setUnknownJobs(UnknownJobs unknownJobs) {
		this.unknownJobs = unknownJobs;
	}

}
