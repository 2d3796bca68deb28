/**
 * Benchmarks of the bus against a hand-built Lettuce bus (the ceiling) and Jesque (the Java
 * Resque peer), on one embedded Redis, interleaved; run by {@link io.resquebus.benchmarks.BenchmarkMain}.
 * {@link io.resquebus.benchmarks.ClusterBenchmarkMain} runs the bus on a local Redis Cluster,
 * {@link io.resquebus.benchmarks.DashboardBenchmarkMain} the dashboard's API on a big Redis.
 */
@NullMarked
package io.resquebus.benchmarks;

import org.jspecify.annotations.NullMarked;
