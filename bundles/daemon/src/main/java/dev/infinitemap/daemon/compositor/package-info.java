/** Compositor services: their canvases, their lifecycles and their failures. Private. */
package dev.infinitemap.daemon.compositor;
