package io.resquebus.aot;

import io.resquebus.wire.BusJob;
import io.resquebus.wire.DueJob;
import io.resquebus.wire.FailureEntry;
import io.resquebus.wire.PlainJob;
import io.resquebus.wire.SubscriptionEntry;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What the bus reads at run time that AOT processing cannot see: its Lua scripts (loaded as
 * resources by {@code BusScript}) and the wire records, bound as Jackson binds them. Registered
 * in {@code META-INF/spring/aot.factories}.
 */
public class BusRuntimeHints implements RuntimeHintsRegistrar {

	/** Where {@code BusScript} loads every script and every part a script includes from. */
	static final String SCRIPTS = "io/resquebus/redis/*.lua";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern(SCRIPTS);
		new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(), BusJob.class, DueJob.class,
				FailureEntry.class, PlainJob.class, SubscriptionEntry.class);
	}

}
