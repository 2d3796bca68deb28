package io.resquebus.sample;

import io.resquebus.job.ResqueJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The Resque seed's {@code Archive} job: {@code Resque.enqueue(Archive, 42, "masterbrew")} in a
 * Ruby app (with {@code @queue = :file_serve}) lands here; the worker works {@code file_serve}.
 */
@Component
class ArchiveJob {

	private static final Logger logger = LoggerFactory.getLogger(ArchiveJob.class);

	@ResqueJob(value = "Archive", queue = "file_serve")
	void perform(long repoId, String branch) {
		logger.info("Archive performed: repo_id={} branch={}", repoId, branch);
	}

}
