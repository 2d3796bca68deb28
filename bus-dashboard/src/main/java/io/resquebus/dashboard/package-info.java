/**
 * The bus dashboard: resque-web and its Bus tab served inside a Spring MVC app, off by default.
 */
@NullMarked
package io.resquebus.dashboard;

import org.jspecify.annotations.NullMarked;
