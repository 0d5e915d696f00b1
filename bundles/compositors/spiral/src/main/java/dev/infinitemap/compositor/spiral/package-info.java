/** The spiral sample compositor. Private. */
package dev.infinitemap.compositor.spiral;
