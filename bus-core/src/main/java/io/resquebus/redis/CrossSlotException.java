package io.resquebus.redis;

import org.springframework.dao.InvalidDataAccessApiUsageException;

/**
 * A script or multi-key command that would touch keys of several Redis Cluster hash slots: a bug
 * of the bus, caught before anything is sent, since Redis would refuse it ({@code CROSSSLOT}) or
 * Spring Data Redis would emulate it non-atomically.
 */
public class CrossSlotException extends InvalidDataAccessApiUsageException {

	public CrossSlotException(String message) {
		super(message);
	}

}
