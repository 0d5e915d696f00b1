/** The map's HTTP API. Private: servlets are registered on the whiteboard. */
package dev.infinitemap.web;
