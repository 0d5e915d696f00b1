/** Tile sets, their differences, and the one place deltas are numbered and posted. Private. */
package dev.infinitemap.daemon.delta;
