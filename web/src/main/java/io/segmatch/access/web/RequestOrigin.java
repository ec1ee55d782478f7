package io.segmatch.access.web;

import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.microprofile.config.ConfigProvider;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a request came from as the browser saw it: its scheme and origin, believing the
 * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} headers only from the addresses in
 * {@code segmatch.http.trusted-proxies} (comma-separated addresses or CIDR ranges).
 */
public final class RequestOrigin {

    private static volatile List<String> trusted;

    private RequestOrigin() {
    }

    /** Whether the browser used HTTPS (directly, or to a trusted proxy). */
    public static boolean secure(HttpServletRequest request) {
        if (request.isSecure()) {
            return true;
        }
        String proto = forwarded(request, "X-Forwarded-Proto");
        return proto != null && proto.equalsIgnoreCase("https");
    }

    /** The origin the browser addressed, such as {@code https://segmatch.example.com}. */
    public static String origin(HttpServletRequest request) {
        String scheme = secure(request) ? "https" : request.getScheme().toLowerCase(Locale.ROOT);
        String host = forwarded(request, "X-Forwarded-Host");
        if (host == null) {
            host = request.getHeader("Host");
        }
        if (host == null) {
            host = request.getServerName() + ":" + request.getServerPort();
        }
        host = host.toLowerCase(Locale.ROOT);
        if ((scheme.equals("https") && host.endsWith(":443")) || (scheme.equals("http") && host.endsWith(":80"))) {
            host = host.substring(0, host.lastIndexOf(':'));
        }
        return scheme + "://" + host;
    }

    /**
     * A forwarding header's value when the direct peer is a trusted proxy: the last one (the
     * one the proxy added; earlier ones came from the client and prove nothing).
     */
    static String forwarded(HttpServletRequest request, String header) {
        String value = request.getHeader(header);
        if (value == null || !trustedPeer(request.getRemoteAddr())) {
            return null;
        }
        int comma = value.lastIndexOf(',');
        return (comma < 0 ? value : value.substring(comma + 1)).strip();
    }

    static boolean trustedPeer(String address) {
        List<String> proxies = trusted;
        if (proxies == null) {
            proxies = ConfigProvider.getConfig().getOptionalValue("segmatch.http.trusted-proxies", String.class)
                    .map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())
                    .orElse(List.of());
            trusted = proxies;
        }
        for (String proxy : proxies) {
            if (matches(proxy, address)) {
                return true;
            }
        }
        return false;
    }

    /** Whether an address is a given address or lies in a CIDR range ({@code 10.0.0.0/8}). */
    static boolean matches(String rule, String address) {
        try {
            int slash = rule.indexOf('/');
            byte[] net = InetAddress.getByName(slash < 0 ? rule : rule.substring(0, slash)).getAddress();
            byte[] peer = InetAddress.getByName(address).getAddress();
            if (net.length != peer.length) {
                return false;
            }
            int bits = slash < 0 ? net.length * 8 : Integer.parseInt(rule.substring(slash + 1));
            if (bits < 0 || bits > net.length * 8) {
                return false;
            }
            for (int i = 0; i < net.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                if ((net[i] & mask) != (peer[i] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }
}
