/**
 * Test fixtures shared by the core tests, e.g. the golden Redis dumps written by the Ruby gems.
 */
@NullMarked
package io.resquebus.testsupport;

import org.jspecify.annotations.NullMarked;
