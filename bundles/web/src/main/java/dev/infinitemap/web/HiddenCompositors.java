package dev.infinitemap.web;

import java.util.HashSet;
import java.util.Set;

/** The compositors a viewer hides, as {@code ?hide=name,...} names them on the socket and the slippy tiles. */
public final class HiddenCompositors {

    /** At most this many: more than a legend shows, and a bound on what one request makes the server hold. */
    public static final int MAX = 256;

    private HiddenCompositors() {
    }

    /**
     * @param text compositor names separated by commas; blank ones are ignored
     * @return the names
     * @throws IllegalArgumentException when there are more than {@value #MAX}
     */
    public static Set<String> parse(String text) {
        Set<String> names = new HashSet<>();
        for (String name : text.split(",")) {
            if (!name.isBlank() && names.add(name.trim()) && names.size() > MAX) {
                throw new IllegalArgumentException("hide names at most " + MAX + " compositors");
            }
        }
        return Set.copyOf(names);
    }
}
