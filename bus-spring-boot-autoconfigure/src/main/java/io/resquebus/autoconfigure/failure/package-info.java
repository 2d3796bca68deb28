/**
 * Auto-configuration of the failed-jobs API.
 */
@NullMarked
package io.resquebus.autoconfigure.failure;

import org.jspecify.annotations.NullMarked;
