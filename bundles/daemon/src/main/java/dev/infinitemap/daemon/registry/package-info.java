/** What the daemon knows of each compositor, for the API, the console and the shell. Private. */
package dev.infinitemap.daemon.registry;
