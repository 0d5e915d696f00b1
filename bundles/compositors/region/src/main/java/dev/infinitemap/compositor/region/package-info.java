/** The region sample compositor. Private. */
package dev.infinitemap.compositor.region;
