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

    @AttributeDefinition(name = "Allowed origins", description = "Web pages from these origins (e.g. https://maps.example.com) may open the feed besides pages of the runtime itself; * allows any. Clients that send no Origin (not browsers) are always let in.")
    String[] allowedOrigins() default {};
}
