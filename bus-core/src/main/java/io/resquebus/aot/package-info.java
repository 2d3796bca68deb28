/**
 * Ahead-of-time support: the runtime hints (Lua scripts, wire records, handler methods) an AOT-
 * processed or native application needs.
 */
@NullMarked
package io.resquebus.aot;

import org.jspecify.annotations.NullMarked;
