/** What the daemon does with files in deploy/ that FileInstall alone would not explain. Private. */
package dev.infinitemap.daemon.deploy;
