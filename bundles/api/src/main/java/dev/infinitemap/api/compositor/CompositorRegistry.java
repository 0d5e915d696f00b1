package dev.infinitemap.api.compositor;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Every compositor the runtime knows: active ones, failed ones, and compositor bundles that
 * cannot resolve or are stopped. Registered as a service by the daemon.
 */
@ProviderType
public interface CompositorRegistry {

    /** @return the compositors, sorted by name */
    List<CompositorInfo> compositors();

    /**
     * @return the files in {@code deploy/} that cannot be used at all, sorted by file; a jar that
     *         replaced a running compositor's is not here but on that compositor's entry
     * @since 1.2
     */
    List<UnusableFile> unusableFiles();
}
