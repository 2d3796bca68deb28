package io.resquebus.job;

import io.resquebus.wire.MalformedJobException;

/**
 * A plain Resque job whose class no handler of this app performs: Resque's
 * {@code NameError: uninitialized constant <class>}, adapted to Java. Never retried.
 */
public class UnknownJobClassException extends MalformedJobException {

	private final String jobClass;

	public UnknownJobClassException(String jobClass, String appDescription) {
		super("uninitialized constant " + jobClass + ": no handler for job class '" + jobClass + "' in "
				+ appDescription + " (a @ResqueJob(\"" + jobClass + "\") method or a ResqueJobs registration)");
		this.jobClass = jobClass;
	}

	public String jobClass() {
		return this.jobClass;
	}

}
