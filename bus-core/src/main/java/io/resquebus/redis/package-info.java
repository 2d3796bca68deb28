/**
 * Redis access: connections, atomic Lua scripts and blocking fetches.
 */
@NullMarked
package io.resquebus.redis;

import org.jspecify.annotations.NullMarked;
