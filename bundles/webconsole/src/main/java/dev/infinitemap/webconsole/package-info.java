/** The InfiniteMap tab of the Felix Web Console. Private: the plugin is a whiteboard servlet. */
package dev.infinitemap.webconsole;
