package dev.infinitemap.daemon.manifest;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The limits for tile manifests, configured under {@value #PID}. A component of its own so that
 * changing them never touches the manifest installer's service registration: FileInstall
 * 3.7.4 can lose a file's deletion when an installer's service properties change at the same
 * moment (found by an in-framework test; the file's tiles then stayed on the map).
 */
@Component(service = ManifestLimits.class, configurationPid = ManifestLimits.PID)
@Designate(ocd = ManifestLimits.Config.class)
public class ManifestLimits {

    static final String PID = "dev.infinitemap.daemon.manifest";

    @ObjectClassDefinition(name = "InfiniteMap tile manifests", description = "Limits for the tile manifests in deploy/.")
    @interface Config {
        @AttributeDefinition(name = "Largest file (bytes)", min = "1")
        long maxFileBytes() default 64L * 1024 * 1024;

        @AttributeDefinition(name = "Most tiles per compositor", min = "1")
        int maxTiles() default 1_000_000;
    }

    private volatile Config config;

    @Activate
    public ManifestLimits(Config config) {
        this.config = config;
    }

    @Modified
    void modified(Config config) {
        this.config = config;
    }

    long maxFileBytes() {
        return config.maxFileBytes();
    }

    int maxTiles() {
        return config.maxTiles();
    }
}
