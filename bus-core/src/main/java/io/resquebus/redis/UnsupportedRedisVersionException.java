package io.resquebus.redis;

import io.resquebus.BusException;

/**
 * The Redis server is older than the bus needs ({@link RedisServerVersion#MINIMUM}).
 */
public class UnsupportedRedisVersionException extends BusException {

	public UnsupportedRedisVersionException(String message) {
		super(message);
	}

}
