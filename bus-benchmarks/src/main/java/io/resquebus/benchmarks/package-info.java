/**
 * Benchmarks of the bus against a hand-built Lettuce bus (the ceiling) and Jesque (the Java
 * Resque peer), on one embedded Redis, interleaved; run by {@link io.resquebus.benchmarks.BenchmarkMain}.
 */
@NullMarked
package io.resquebus.benchmarks;

import org.jspecify.annotations.NullMarked;
