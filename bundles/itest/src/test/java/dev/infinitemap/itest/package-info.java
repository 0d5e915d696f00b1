/** In-framework tests. */
package dev.infinitemap.itest;
