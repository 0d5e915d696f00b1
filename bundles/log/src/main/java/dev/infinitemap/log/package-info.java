/** Writes OSGi log entries as readable lines. Private: exports nothing. */
package dev.infinitemap.log;
