/**
 * Redis Cluster mode: topology refresh defaults and the checks made at start.
 */
@NullMarked
package io.resquebus.autoconfigure.cluster;

import org.jspecify.annotations.NullMarked;
