/**
 * The sample app of the README's quick start: publishes what is POSTed and logs what its subscribers receive.
 */
@NullMarked
package io.resquebus.sample;

import org.jspecify.annotations.NullMarked;
