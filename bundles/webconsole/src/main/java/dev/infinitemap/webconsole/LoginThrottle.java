package dev.infinitemap.webconsole;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Failed logins per remote address, and how long each address must wait before it may try
 * again: the first {@value #FREE_FAILURES} failures in a row cost nothing (a typo), each one
 * after that doubles the wait, from 1 s up to {@value #MAX_WAIT_SECONDS} s. A success, or
 * {@value #FORGET_MINUTES} minutes without a failure, clears an address. At most
 * {@value #MAX_ADDRESSES} addresses are remembered (the oldest go first), so a flood of
 * addresses cannot fill the heap. Thread-safe.
 */
final class LoginThrottle {

    static final int FREE_FAILURES = 3;
    static final int MAX_WAIT_SECONDS = 60;
    static final int FORGET_MINUTES = 15;
    static final int MAX_ADDRESSES = 10_000;

    private static final class Failures {
        int inARow;
        long lastNanos;
        long blockedUntilNanos;
    }

    private final Map<String, Failures> byAddress = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    /** @return nanoseconds the address must still wait before it may try to log in, or 0 */
    synchronized long waitNanos(String address, long now) {
        Failures failures = current(address, now);
        return failures == null ? 0 : Math.max(0, failures.blockedUntilNanos - now);
    }

    /** Records a failed login. @return the failures in a row from this address, this one included */
    synchronized int failed(String address, long now) {
        Failures failures = current(address, now);
        if (failures == null) {
            failures = new Failures();
            byAddress.put(address, failures);
        }
        failures.inARow++;
        failures.lastNanos = now;
        failures.blockedUntilNanos = now + TimeUnit.SECONDS.toNanos(waitSecondsAfter(failures.inARow));
        return failures.inARow;
    }

    synchronized void succeeded(String address) {
        byAddress.remove(address);
    }

    /** @return the wait after the given number of failures in a row */
    static int waitSecondsAfter(int inARow) {
        if (inARow <= FREE_FAILURES) {
            return 0;
        }
        int doublings = inARow - FREE_FAILURES - 1;
        return doublings >= 6 ? MAX_WAIT_SECONDS : Math.min(MAX_WAIT_SECONDS, 1 << doublings);
    }

    private Failures current(String address, long now) {
        Failures failures = byAddress.get(address);
        if (failures != null && now - failures.lastNanos > TimeUnit.MINUTES.toNanos(FORGET_MINUTES)) {
            byAddress.remove(address);
            return null;
        }
        return failures;
    }
}
