package dev.infinitemap.api.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * This runtime's part in a map shared with other runtimes. Registered by the cluster bridge,
 * which is installed only when {@code INFINITEMAP_CLUSTER_BOOTSTRAP} is set; its absence means
 * the runtime keeps its map to itself.
 */
@ProviderType
public interface Cluster {

    /** @return where this runtime stands now, as one consistent picture */
    Status status();

    /** Where this runtime's bridge to the shared map stands. */
    enum State {
        /** Reaching the broker and checking the map's topic. */
        CONNECTING,
        /** Reading the shared map from its beginning; remote tiles come all at once when done. */
        CATCHING_UP,
        /** Following the shared map live. */
        CAUGHT_UP,
        /** The broker cannot be reached: local changes wait, remote tiles stay as they are. */
        UNREACHABLE,
        /** The bridge stopped, {@code problem} says why; the local map keeps working. */
        FAILED
    }

    /**
     * @param runtime this runtime's id
     * @param map the shared map's name
     * @param bootstrap the Kafka bootstrap servers
     * @param state the bridge's state
     * @param problem why it is unreachable or failed, if it is
     * @param lag records of the shared map written and not yet read here, as of the last read
     * @param runtimes the other runtimes heard of, by id
     * @param compositors the other runtimes' compositors on this map, by name
     */
    record Status(String runtime, String map, String bootstrap, State state, Optional<String> problem, long lag, List<Peer> runtimes,
            List<RemoteCompositor> compositors) {
    }

    /**
     * Another runtime on the shared map.
     *
     * @param runtime its id
     * @param online whether it is heard of; false once it said goodbye or was declared gone
     * @param lastHeard when it was last heard of, by the shared log's clock
     */
    record Peer(String runtime, boolean online, Instant lastHeard) {
    }

    /**
     * A compositor of another runtime, as this runtime's map has it.
     *
     * @param name its name on this map, {@code <compositor>@<runtime>}
     * @param compositor its name on its own runtime
     * @param runtime its runtime
     * @param layer its layer
     * @param tiles how many tiles it has on the map, shown or covered
     * @param kept whether its runtime is gone and its tiles stay, by that runtime's policy
     */
    record RemoteCompositor(String name, String compositor, String runtime, int layer, int tiles, boolean kept) {
    }
}
