/**
 * Auto-configuration of an embedded Redis for development, when no Redis is configured.
 */
@NullMarked
package io.resquebus.autoconfigure.embedded;

import org.jspecify.annotations.NullMarked;
