package dev.infinitemap.cluster;

/**
 * What the log says about a runtime: online (its heartbeat), or gone, with what becomes of its
 * tiles. Gone is a decision recorded in the log, so every runtime applies it at the same point
 * of the log, whatever its own clock says.
 *
 * @param runtime the runtime's id
 * @param epoch the incarnation this is about
 * @param state online, or gone (left cleanly or declared dead)
 * @param onDeath what every runtime does with its tiles once it is gone
 */
record RuntimeRecord(String runtime, long epoch, State state, OnDeath onDeath) {

    enum State {
        ONLINE,
        /** Left or declared dead: nothing it wrote with this epoch or an earlier one counts any more. */
        GONE
    }

    enum OnDeath {
        /** Its tiles leave the map of every runtime. */
        REMOVE,
        /** Its tiles stay as they were, until a new incarnation replaces them. */
        KEEP
    }
}
