package io.resquebus.autoconfigure;

import tools.jackson.databind.json.JsonMapper;

/**
 * Customizes the bus's own JSON mapper, which reads the wire and is never the application's
 * {@code @Primary} one (so {@code spring.jackson.*} cannot change what Ruby apps receive).
 */
@FunctionalInterface
public interface ResqueBusJsonMapperCustomizer {

	void customize(JsonMapper.Builder builder);

}
