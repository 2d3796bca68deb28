/**
 * Switches for Spring Boot tests: {@link io.resquebus.test.autoconfigure.AutoConfigureRecordingBus}
 * (record what is published, no Redis) and {@link io.resquebus.test.autoconfigure.AutoConfigureTestRedis}
 * (a throwaway real Redis).
 */
@NullMarked
package io.resquebus.test.autoconfigure;

import org.jspecify.annotations.NullMarked;
