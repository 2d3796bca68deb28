package io.resquebus.sample;

import java.util.Map;

import io.resquebus.job.JobOperations;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Enqueues the seed's {@code Archive} job as {@code Resque.enqueue(Archive, 42, "masterbrew")} does,
 * for a Java or a Ruby worker: {@code curl -X POST 'localhost:8080/archive/42?branch=masterbrew'}.
 */
@RestController
class ArchiveController {

	private final JobOperations jobs;

	ArchiveController(JobOperations jobs) {
		this.jobs = jobs;
	}

	@PostMapping("/archive/{repoId}")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Map<String, Object> archive(@PathVariable long repoId, @RequestParam(defaultValue = "masterbrew") String branch) {
		this.jobs.enqueue("file_serve", "Archive", repoId, branch);
		return Map.of("class", "Archive", "queue", "file_serve", "args", java.util.List.of(repoId, branch));
	}

}
