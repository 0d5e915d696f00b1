/** The map's Gogo commands. Private. */
package dev.infinitemap.shell;
