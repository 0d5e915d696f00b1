/** The InfiniteMap bundle's implementation. Private: the service is exported through the API. */
package dev.infinitemap.map;
