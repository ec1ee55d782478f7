package io.segmatch.access.web;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which peers are trusted proxies (exact addresses and CIDR ranges, IPv4 and IPv6). */
class RequestOriginTest {

    @Test
    void exactAddressesAndRanges() {
        assertTrue(RequestOrigin.matches("10.1.2.3", "10.1.2.3"));
        assertFalse(RequestOrigin.matches("10.1.2.3", "10.1.2.4"));
        assertTrue(RequestOrigin.matches("10.0.0.0/8", "10.200.3.4"));
        assertFalse(RequestOrigin.matches("10.0.0.0/8", "11.0.0.1"));
        assertTrue(RequestOrigin.matches("192.168.4.0/22", "192.168.7.255"));
        assertFalse(RequestOrigin.matches("192.168.4.0/22", "192.168.8.0"));
        assertTrue(RequestOrigin.matches("::1", "0:0:0:0:0:0:0:1"));
        assertTrue(RequestOrigin.matches("fd00::/8", "fd12:3456::1"));
        assertFalse(RequestOrigin.matches("fd00::/8", "127.0.0.1"), "families never match each other");
        assertFalse(RequestOrigin.matches("10.0.0.0/x", "10.0.0.1"), "a broken rule trusts nobody");
        assertFalse(RequestOrigin.matches("10.0.0.0/-1", "192.168.0.1"), "nor does a negative prefix");
        assertFalse(RequestOrigin.matches("10.0.0.0/33", "10.0.0.1"), "nor one longer than the address");
    }
}
