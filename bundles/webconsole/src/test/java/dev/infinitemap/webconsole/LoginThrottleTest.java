package dev.infinitemap.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void threeFailuresAreFreeThenEachOneDoublesTheWaitUpToAMinute() {
        int[] waits = new int[12];
        for (int i = 0; i < waits.length; i++) {
            waits[i] = LoginThrottle.waitSecondsAfter(i + 1);
        }
        assertEquals("[0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]", java.util.Arrays.toString(waits));
        assertEquals(60, LoginThrottle.waitSecondsAfter(Integer.MAX_VALUE));
    }

    @Test
    void anAddressWaitsAfterItsFourthFailureOthersDoNotAndASuccessClearsIt() {
        LoginThrottle throttle = new LoginThrottle();
        long now = 1_000 * SECOND;
        for (int i = 1; i <= 3; i++) {
            assertEquals(i, throttle.failed("10.0.0.1", now));
            assertEquals(0, throttle.waitNanos("10.0.0.1", now));
        }
        assertEquals(4, throttle.failed("10.0.0.1", now));
        assertEquals(SECOND, throttle.waitNanos("10.0.0.1", now));
        assertEquals(SECOND / 2, throttle.waitNanos("10.0.0.1", now + SECOND / 2));
        assertEquals(0, throttle.waitNanos("10.0.0.1", now + SECOND));
        assertEquals(0, throttle.waitNanos("10.0.0.2", now), "another address is not held up");

        throttle.succeeded("10.0.0.1");
        assertEquals(1, throttle.failed("10.0.0.1", now + 2 * SECOND), "a success starts the count afresh");
    }

    @Test
    void failuresAreForgottenAfterFifteenQuietMinutesAndAtMostTenThousandAddressesAreKept() {
        LoginThrottle throttle = new LoginThrottle();
        long now = 1_000 * SECOND;
        for (int i = 0; i < 5; i++) {
            throttle.failed("10.0.0.1", now);
        }
        assertEquals(5, throttle.failed("10.0.0.1", now) - 1);
        long later = now + TimeUnit.MINUTES.toNanos(16);
        assertEquals(0, throttle.waitNanos("10.0.0.1", later));
        assertEquals(1, throttle.failed("10.0.0.1", later));

        for (int i = 0; i < LoginThrottle.MAX_ADDRESSES; i++) {
            throttle.failed("192.168." + (i >> 8) + "." + (i & 255), later);
        }
        assertEquals(1, throttle.failed("10.0.0.1", later), "the oldest address made room for the newer ones");
    }
}
