/** Throwaway redis-server processes and the shared Redis choice for tests, without Spring or a Redis client. */
@NullMarked
package io.resquebus.embedded;

import org.jspecify.annotations.NullMarked;
