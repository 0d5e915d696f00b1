package dev.infinitemap.web.socket;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "InfiniteMap WebSocket", description = "The live feed at /infinitemap/ws.")
@interface SocketConfig {

    @AttributeDefinition(name = "Heartbeat seconds", description = "How often the server sends a heartbeat to every client.", min = "1")
    int heartbeatSeconds() default 10;

    @AttributeDefinition(name = "Idle seconds", description = "A client that sends nothing for this long is closed.", min = "1")
    int idleSeconds() default 30;

    @AttributeDefinition(name = "Client queue limit", description = "Messages queued for one client before it is told it fell behind and gets a snapshot instead.", min = "100")
    int clientQueueLimit() default 50_000;

    @AttributeDefinition(name = "Client buffer bytes", description = "Bytes (characters) of messages queued for one client before it is told it fell behind and gets a snapshot instead; a client that falls behind again while it has stopped reading that snapshot is closed with 1013. Snapshots are shared between clients and do not count here.", min = "65536")
    long clientBufferBytes() default 8L << 20;

    @AttributeDefinition(name = "All clients' buffer bytes", description = "Budget for the messages and snapshots waiting for all clients together; over it, the clients that have waited longest for a read are closed with 1013 (try again later). 0: a quarter of the heap.", min = "0")
    long allClientsBufferBytes() default 0;

    @AttributeDefinition(name = "Maximum clients", description = "Connections beyond this many are closed at once with 1013 and a reason saying so.", min = "1")
    int maxClients() default 5_000;

    @AttributeDefinition(name = "Client messages per second", description = "What one client may send on average (twice as many in a burst); a client far over it gets an error and is closed with 1008.", min = "1")
    int clientMessagesPerSecond() default 200;

    @AttributeDefinition(name = "Camera updates per second", description = "How often at most the latest camera of one client is passed on to the others; updates in between are coalesced.", min = "1", max = "1000")
    int cameraUpdatesPerSecond() default 20;

    @AttributeDefinition(name = "Allowed origins", description = "Web pages from these origins (e.g. https://maps.example.com; several as a comma list or an array) may open the feed and read the manifest, the API and the bricks (CORS), besides pages of the runtime itself; * allows any. Clients that send no Origin (not browsers) are always let in. A refused origin is logged once.")
    String[] allowedOrigins() default {};

    @AttributeDefinition(name = "Legacy tombstone seconds", description = "With INFINITEMAP_LEGACY_PORT set: how long the legacy manifest keeps a removed cell as a transparent tile, so that Geometry OS pollers clear it too.", min = "1")
    int legacyTombstoneSeconds() default 600;
}
