/** The clock sample compositor. Private. */
package dev.infinitemap.compositor.clock;
